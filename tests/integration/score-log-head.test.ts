// The published score-log head (issue #18): fixed and signed when a round closes and when its awards are
// published, public with the round's awards, in the awards.published payload, and verifiable outside the API
// with the gateway's JWKS and scripts/verify-score-log.ts. The attack the API's own check cannot see (a past
// score rewritten, every later hash, the round's head and the stored heads recomputed and re-signed in the
// database) is caught by a partner holding the published head.
import { generateKeyPairSync } from "node:crypto";
import { startSystem, TestSystem } from "../kit/system";
import { errorCodes, graphql } from "../kit/http";
import { seedDivision, seedEntry, seedVenue, unique } from "../kit/factories";
import { judgeToken, judgingApi, ok, organizerToken, seedJudge } from "../kit/judging-factories";
import { ThemeCode } from "../../lib/themes";
import { signDocument } from "../../lib/auth";
import { eventHash, scoreLogHeadClaims, ScoreLogHeadReason } from "../../subgraphs/judging/score/score-log";
import { ScoreEvent } from "../../subgraphs/judging/score/score.entity";
import { fetchRecords, verifyHeadJws, verifyRecords } from "../../scripts/verify-score-log";

describe("published score-log heads", () => {
  let system: TestSystem;
  const signing = generateKeyPairSync("ec", {
    namedCurve: "prime256v1",
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });

  beforeAll(async () => {
    system = await startSystem({ env: { JWT_PRIVATE_KEY: signing.privateKey, JWT_KEY_ID: "heads-2026" } });
  });
  afterAll(() => system.stop());

  const roundHead = `query($r: ID!) { round(id: $r) { id scoreLogHead { hash recordCount fixedAt jws } } }`;
  const verify = `query($r: ID!, $head: String) { verifyScoreLog(roundId: $r, expectedHead: $head) { valid eventsChecked headHash expectedHead extendsExpectedHead problems { sequence problem } } }`;

  it("fixes, signs and publishes the head; a partner holding it detects a rewritten past score", async () => {
    const gateway = system.gatewayUrl;
    const origin = new URL(gateway).origin;
    const api = judgingApi(system.urls.judging);
    const division = await seedDivision(system.dataSources.venues, { code: unique("D") });
    const venue = await seedVenue(system.dataSources.venues, { divisionId: division.id, country: "PT" });
    const entries = [];
    for (let i = 0; i < 3; i++)
      entries.push(await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, themeCode: ThemeCode.NATURE }));
    const judges = [await seedJudge(system.dataSources.judging), await seedJudge(system.dataSources.judging)];
    const round = await api.createRound({
      name: "Heads",
      kind: "SCORE",
      divisionId: division.id,
      quorum: 2,
      acceptanceCapPercent: 100,
      scale: { min: 1, max: 10, step: 0.5 },
    });
    ok(await api.assignJudges({ roundId: round.id, judgeIds: judges.map((judge) => judge.id) }));
    await api.openRound(round.id);
    for (const [j, judge] of judges.entries())
      for (const [e, entry] of entries.entries()) ok(await api.submitScore(judge.id, { roundId: round.id, entryId: entry.id, value: 3 + e + j }));
    ok(await api.submitScore(judges[0].id, { roundId: round.id, entryId: entries[0].id, value: 4.5 }));

    // Before the round closes there is no head; judges never see it before awards are published.
    expect(ok(await graphql(gateway, roundHead, { variables: { r: round.id }, token: organizerToken() })).round.scoreLogHead).toBeNull();
    ok(await api.closeRound(round.id));
    const closed = ok(await graphql(gateway, roundHead, { variables: { r: round.id }, token: organizerToken() })).round.scoreLogHead;
    expect(closed).toMatchObject({ recordCount: 7 });
    expect(ok(await graphql(gateway, roundHead, { variables: { r: round.id }, token: judgeToken(judges[0].id) })).round.scoreLogHead).toBeNull();
    expect(ok(await graphql(gateway, roundHead, { variables: { r: round.id } })).round).toBeNull();
    expect(errorCodes(await graphql(gateway, verify, { variables: { r: round.id } }))).toEqual(["FORBIDDEN"]);

    // Publishing awards fixes the head again, puts it in the awards.published payload, and makes it public.
    const asOrganizer = (query: string, variables: Record<string, unknown>) => graphql(gateway, query, { variables, token: organizerToken() });
    ok(
      await asOrganizer(`mutation($input: ProposeAwardsInput!) { proposeAwards(input: $input) { id } }`, {
        input: { roundId: round.id, theme: "NATURE", divisionId: division.id, tiers: [{ tier: "GOLD", count: 1 }] },
      }),
    );
    ok(await asOrganizer(`mutation($d: ID!) { publishAwards(theme: NATURE, divisionId: $d) { id } }`, { d: division.id }));
    await system.settleEvents();
    const [event] = await system.dataSources.judging.query(`SELECT payload FROM judging.outbox WHERE type = 'awards.published' ORDER BY sequence DESC LIMIT 1`);
    const [sent] = event.payload.scoreLogHeads;
    expect(sent).toMatchObject({ roundId: round.id, hash: closed.hash, recordCount: 7 });
    const publicHead = ok(await graphql(gateway, roundHead, { variables: { r: round.id } })).round.scoreLogHead;
    expect(publicHead).toEqual({ hash: sent.hash, recordCount: 7, fixedAt: sent.fixedAt, jws: sent.jws });
    const heads = await system.dataSources.judging.query(`SELECT reason FROM judging.score_log_head WHERE round_id = $1 ORDER BY id`, [round.id]);
    expect(heads.map((row: any) => row.reason)).toEqual(["ROUND_CLOSED", "AWARDS_PUBLISHED"]);

    // A partner verifies the signature with the gateway's public keys, and the records against the head.
    const jwks = (await (await fetch(`${origin}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: "heads-2026", alg: "ES256", kty: "EC" })]);
    const claims = verifyHeadJws(sent.jws, jwks);
    expect(claims).toMatchObject({ roundId: round.id, hash: sent.hash, recordCount: 7, reason: "AWARDS_PUBLISHED" });
    expect(() => verifyHeadJws(sent.jws.slice(0, -4) + (sent.jws.endsWith("AAAA") ? "BBBB" : "AAAA"), jwks)).toThrow(/signature/);
    const records = await fetchRecords(origin, organizerToken(), round.id);
    expect(records).toHaveLength(7);
    expect(verifyRecords(records, claims)).toEqual([]);
    expect(ok(await graphql(gateway, verify, { variables: { r: round.id, head: sent.hash } })).verifyScoreLog).toMatchObject({
      valid: true,
      extendsExpectedHead: true,
      eventsChecked: 7,
    });
    expect(errorCodes(await graphql(gateway, verify, { variables: { r: round.id, head: "not-a-hash" } }))).toEqual(["BAD_USER_INPUT"]);

    // The head table is append-only, like the log.
    await expect(system.dataSources.judging.query(`UPDATE judging.score_log_head SET hash = 'x' WHERE round_id = $1`, [round.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(system.dataSources.judging.query(`DELETE FROM judging.score_log_head WHERE round_id = $1`, [round.id])).rejects.toThrow(/append-only/);

    // The attack: record 2's score is rewritten, every later hash recomputed, the round's head updated…
    const judging = system.dataSources.judging;
    await judging.query(`ALTER TABLE judging.score_event DISABLE TRIGGER score_event_append_only`);
    try {
      const events = await judging.getRepository(ScoreEvent).find({ where: { roundId: round.id }, order: { sequence: "ASC" } });
      let previousHash = events[0].hash;
      for (const forged of events.slice(1)) {
        if (forged.sequence === 2) {
          forged.value = 9;
          forged.criteria = { overall: 9 };
        }
        forged.previousHash = previousHash;
        forged.hash = eventHash(forged);
        previousHash = forged.hash;
        await judging.query(`UPDATE judging.score_event SET value = $3, criteria = $4, previous_hash = $5, hash = $6 WHERE round_id = $1 AND sequence = $2`, [
          round.id,
          forged.sequence,
          forged.value,
          JSON.stringify(forged.criteria),
          forged.previousHash,
          forged.hash,
        ]);
      }
      const second = events[1];
      await judging.query(`UPDATE judging.score SET value = 9, criteria = '{"overall": 9}' WHERE assignment_id = $1`, [second.assignmentId]);
      await judging.query(`UPDATE judging.judging_round SET log_head_hash = $2 WHERE id = $1`, [round.id, previousHash]);
    } finally {
      await judging.query(`ALTER TABLE judging.score_event ENABLE TRIGGER score_event_append_only`);
    }
    // …the API's own check still sees the heads it fixed…
    const withStoredHeads = ok(await graphql(gateway, verify, { variables: { r: round.id }, token: organizerToken() })).verifyScoreLog;
    expect(withStoredHeads.valid).toBe(false);
    expect(withStoredHeads.problems).toContainEqual({ sequence: 7, problem: expect.stringMatching(/not in today's chain/) });

    // …so the attacker, holding the signing key, rewrites and re-signs those too. Now nothing inside the database disagrees.
    const forgedHead = (await judging.query(`SELECT log_head_hash AS hash FROM judging.judging_round WHERE id = $1`, [round.id]))[0].hash;
    await judging.query(`ALTER TABLE judging.score_log_head DISABLE TRIGGER score_log_head_append_only`);
    try {
      for (const row of await judging.query(`SELECT id, reason, fixed_at AS "fixedAt" FROM judging.score_log_head WHERE round_id = $1`, [round.id])) {
        const jws = signDocument(
          scoreLogHeadClaims({ roundId: round.id, reason: row.reason as ScoreLogHeadReason, hash: forgedHead, recordCount: 7, fixedAt: row.fixedAt }),
        );
        await judging.query(`UPDATE judging.score_log_head SET hash = $2, jws = $3 WHERE id = $1`, [row.id, forgedHead, jws]);
      }
    } finally {
      await judging.query(`ALTER TABLE judging.score_log_head ENABLE TRIGGER score_log_head_append_only`);
    }
    expect(ok(await graphql(gateway, verify, { variables: { r: round.id }, token: organizerToken() })).verifyScoreLog.valid).toBe(true);
    expect(ok(await graphql(gateway, roundHead, { variables: { r: round.id } })).round.scoreLogHead.hash).toBe(forgedHead);

    // The partner's copy decides: the API says its chain no longer extends the held head, and so does the script.
    const checked = ok(await graphql(gateway, verify, { variables: { r: round.id, head: sent.hash } })).verifyScoreLog;
    expect(checked).toMatchObject({ valid: false, expectedHead: sent.hash, extendsExpectedHead: false });
    const rewritten = await fetchRecords(origin, organizerToken(), round.id);
    expect(verifyRecords(rewritten, claims)).toEqual([expect.stringMatching(/^Record 7 has hash .* not the held head .*: the log was rewritten\.$/)]);
  });
});
