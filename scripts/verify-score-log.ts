// A partner's check of a judging round, independent of the API's own verifyScoreLog: given the score-log head
// the partner was sent (the JWS from an awards.published webhook or JudgingRound.scoreLogHead), it verifies the
// head's signature with the API's published public keys (/.well-known/jwks.json) and that the round's log
// records, as scoreHistory returns them, still lead to that head record by record. A rewritten past score,
// even with every later hash recomputed and the API's stored head replaced, no longer reaches the held head.
//
// Self-contained on purpose (node:crypto and fetch only, no code from this repository): partners copy it, and
// tests/integration/score-log-head.test.ts proves it agrees with the API. The record format is in
// docs/organiser.md ("Checking a round's score log").
//
//   node dist/scripts/verify-score-log.js --api http://localhost:4000 --token "$TOKEN" --head "$HEAD_JWS"
//   node dist/scripts/verify-score-log.js --api http://localhost:4000 --records records.json --head "$HEAD_JWS"
import { createHash, createPublicKey, verify as verifySignature, JsonWebKey } from "node:crypto";
import fs from "node:fs";

export const GENESIS_HASH = "0".repeat(64);

/** A score-log record as scoreHistory returns it (the fields the hash covers). */
export interface LogRecord {
  roundId: string;
  sequence: number;
  assignmentId: string;
  judge: { id: string };
  entry: { id: string };
  kind: string;
  value: number | null;
  pass: boolean | null;
  criteria: { code: string; value: number }[];
  actor: string;
  recordedAt: string;
  previousHash: string;
  hash: string;
}

export interface HeadClaims {
  roundId: string;
  hash: string;
  recordCount: number;
  fixedAt: string;
  reason: string;
}

const decimal = (value: number | null) => (value === null ? null : value.toFixed(3));

/** The bytes a record's hash covers (format "score-event/v1"). */
export function canonicalRecord(record: LogRecord): string {
  const criteria = [...record.criteria]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((criterion) => [criterion.code, decimal(criterion.value)]);
  return JSON.stringify([
    "score-event/v1",
    record.roundId,
    record.sequence,
    record.assignmentId,
    record.judge.id,
    record.entry.id,
    record.kind,
    decimal(record.value),
    record.pass,
    criteria,
    record.actor,
    new Date(record.recordedAt).toISOString(),
    record.previousHash,
  ]);
}

export const recordHash = (record: LogRecord) => createHash("sha256").update(canonicalRecord(record)).digest("hex");

/**
 * Verifies a compact JWS against a JSON Web Key Set and returns its claims. Only RS256 and ES256 (asymmetric)
 * signatures can be checked by a third party; an HS256 head (development) is refused as unverifiable.
 */
export function verifyHeadJws(jws: string, jwks: { keys: (JsonWebKey & { kid?: string })[] }): HeadClaims {
  const [headerPart, payloadPart, signaturePart] = jws.split(".");
  if (!signaturePart) throw new Error("The head is not a compact JWS (header.payload.signature).");
  const header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8")) as { alg: string; kid?: string };
  if (header.alg !== "RS256" && header.alg !== "ES256")
    throw new Error(`The head is signed with ${header.alg}: only RS256/ES256 signatures can be verified outside the API.`);
  const jwk = jwks.keys.find((key) => key.kid === header.kid);
  if (!jwk) throw new Error(`No published key has the head's key id ${header.kid}.`);
  const key = createPublicKey({ key: jwk, format: "jwk" });
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, "base64url");
  const valid = verifySignature("sha256", signed, header.alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" } : key, signature);
  if (!valid) throw new Error("The head's signature does not verify with the published key.");
  const claims = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8"));
  if (claims.typ !== "score-log-head/v1") throw new Error("The signed document is not a score-log head.");
  return claims as HeadClaims;
}

/** Checks records (any order) against a held head; returns the problems found (none: the log extends the head). */
export function verifyRecords(records: LogRecord[], head: { roundId?: string; hash: string; recordCount: number }): string[] {
  const problems: string[] = [];
  const sorted = [...records].sort((a, b) => a.sequence - b.sequence);
  let previousHash = GENESIS_HASH;
  sorted.forEach((record, index) => {
    if (record.sequence !== index + 1) problems.push(`Record ${index + 1} is missing (found ${record.sequence}).`);
    if (head.roundId && record.roundId !== head.roundId) problems.push(`Record ${record.sequence} belongs to round ${record.roundId}.`);
    if (record.previousHash !== previousHash) problems.push(`Record ${record.sequence} does not point at the hash of the record before it.`);
    if (recordHash(record) !== record.hash) problems.push(`Record ${record.sequence}'s content does not match its hash.`);
    previousHash = record.hash;
  });
  if (head.recordCount === 0) {
    if (head.hash !== GENESIS_HASH) problems.push("A head of 0 records must be the genesis hash.");
  } else {
    const held = sorted[head.recordCount - 1];
    if (!held || held.sequence !== head.recordCount) problems.push(`The log has no record ${head.recordCount}, the head's position.`);
    else if (held.hash !== head.hash) problems.push(`Record ${head.recordCount} has hash ${held.hash}, not the held head ${head.hash}: the log was rewritten.`);
  }
  return problems;
}

const HISTORY_FIELDS = "roundId sequence assignmentId judge { id } entry { id } kind value pass criteria { code value } actor recordedAt previousHash hash";

async function graphql(api: string, token: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(new URL("/graphql", api), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join("; "));
  return body.data;
}

/** Every record of a round through the API (an organiser's or appeal committee's token): its entries, then their histories. */
export async function fetchRecords(api: string, token: string, roundId: string): Promise<LogRecord[]> {
  const entryIds: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const data = await graphql(
      api,
      token,
      `
        query ($r: ID!, $after: String) {
          leaderboard(roundId: $r, first: 100, after: $after) {
            pageInfo {
              hasNextPage
              endCursor
            }
            edges {
              node {
                entry {
                  id
                }
              }
            }
          }
        }
      `,
      { r: roundId, after },
    );
    entryIds.push(...data.leaderboard.edges.map((edge: any) => edge.node.entry.id));
    if (!data.leaderboard.pageInfo.hasNextPage) break;
    after = data.leaderboard.pageInfo.endCursor;
  }
  const records: LogRecord[] = [];
  for (let start = 0; start < entryIds.length; start += 25) {
    const batch = entryIds.slice(start, start + 25);
    const query = `query($r: ID!) { ${batch.map((id, index) => `e${index}: scoreHistory(roundId: $r, entryId: "${id}") { ${HISTORY_FIELDS} }`).join(" ")} }`;
    const data = await graphql(api, token, query, { r: roundId });
    for (const list of Object.values(data)) records.push(...(list as LogRecord[]));
  }
  return records;
}

async function main(): Promise<void> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let index = 0; index + 1 < argv.length; index += 2) args.set(argv[index].replace(/^--/, ""), argv[index + 1]);
  const api = args.get("api");
  const jws = args.get("head");
  if (!api || !jws) throw new Error("Usage: verify-score-log --api <gateway origin> --head <head JWS> (--token <token> | --records <file.json>)");
  const jwks = (await (await fetch(new URL("/.well-known/jwks.json", api))).json()) as { keys: JsonWebKey[] };
  const head = verifyHeadJws(jws, jwks);
  const file = args.get("records");
  const records = file ? (JSON.parse(fs.readFileSync(file, "utf8")) as LogRecord[]) : await fetchRecords(api, args.get("token") ?? "", head.roundId);
  const problems = verifyRecords(records, head);
  process.stdout.write(
    `${JSON.stringify({ roundId: head.roundId, head: head.hash, recordCount: head.recordCount, fixedAt: head.fixedAt, recordsChecked: records.length, extendsHead: problems.length === 0, problems }, null, 2)}\n`,
  );
  process.exitCode = problems.length ? 1 : 0;
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
