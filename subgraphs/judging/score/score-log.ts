// The append-only, tamper-evident score log: one hash chain per round. Each record's hash is the SHA-256 of
// its canonical content and the previous record's hash; the round row keeps the chain's length and head so
// that cutting records off the end shows too. The database refuses UPDATE/DELETE on the table (trigger);
// the chain is what reveals an edit made by someone who can bypass that.
//
// Seeding: append through appendScoreEvent inside the transaction that holds the round's row lock.
import { createHash } from "node:crypto";
import { EntityManager } from "typeorm";
import { signDocument } from "../../../lib/auth";
import type { Queryable } from "../../../lib/database";
import { JudgingRound } from "../round/round.entity";
import { CriteriaValues, Score, ScoreEvent, ScoreEventKind } from "./score.entity";

const SCHEMA = "judging";

export const GENESIS_HASH = "0".repeat(64);

export interface ScoreEventContent {
  roundId: string;
  sequence: number;
  assignmentId: string;
  judgeId: string;
  entryId: string;
  kind: ScoreEventKind;
  value: number | null;
  pass: boolean | null;
  criteria: CriteriaValues;
  actor: string;
  recordedAt: Date;
  previousHash: string;
}

const decimal = (value: number | null) => (value === null ? null : Number(value).toFixed(3));

/**
 * The exact bytes hashed (documented for partners in docs/organiser.md and on ScoreEvent): the UTF-8 JSON text,
 * without spaces, of the array ["score-event/v1", roundId, sequence, assignmentId, judgeId, entryId, kind,
 * value, pass, criteria, actor, recordedAt, previousHash], where value is a string with 3 decimals or null,
 * criteria is [[code, "x.xxx"], …] sorted by code, and recordedAt is ISO 8601 in UTC with milliseconds.
 */
export function canonicalContent(event: ScoreEventContent): string {
  const criteria = Object.keys(event.criteria ?? {})
    .sort()
    .map((code) => [code, decimal(event.criteria[code])]);
  return JSON.stringify([
    "score-event/v1",
    event.roundId,
    event.sequence,
    event.assignmentId,
    event.judgeId,
    event.entryId,
    event.kind,
    decimal(event.value),
    event.pass,
    criteria,
    event.actor,
    event.recordedAt.toISOString(),
    event.previousHash,
  ]);
}

export function eventHash(event: ScoreEventContent): string {
  return createHash("sha256").update(canonicalContent(event)).digest("hex");
}

/**
 * Appends one record after the round's head. The caller must hold the round's row lock (RoundService.lock)
 * and pass the round as read under it, so appends to one round are serialised.
 */
export async function appendScoreEvent(
  manager: EntityManager,
  round: JudgingRound,
  content: Omit<ScoreEventContent, "roundId" | "sequence" | "previousHash" | "recordedAt">,
): Promise<ScoreEvent> {
  const event: ScoreEventContent = {
    ...content,
    roundId: round.id,
    sequence: round.logLength + 1,
    previousHash: round.logHeadHash ?? GENESIS_HASH,
    // Milliseconds, so the stored timestamp reads back exactly as hashed.
    recordedAt: new Date(),
  };
  const hash = eventHash(event);
  await manager.query(
    `INSERT INTO ${SCHEMA}.score_event (round_id, sequence, assignment_id, judge_id, entry_id, kind, value, pass, criteria, actor, recorded_at, previous_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      event.roundId,
      event.sequence,
      event.assignmentId,
      event.judgeId,
      event.entryId,
      event.kind,
      event.value,
      event.pass,
      JSON.stringify(event.criteria),
      event.actor,
      event.recordedAt,
      event.previousHash,
      hash,
    ],
  );
  await manager.query(`UPDATE ${SCHEMA}.judging_round SET log_length = $2, log_head_hash = $3 WHERE id = $1`, [round.id, event.sequence, hash]);
  round.logLength = event.sequence;
  round.logHeadHash = hash;
  return Object.assign(new ScoreEvent(), event, { hash });
}

export enum ScoreLogHeadReason {
  ROUND_CLOSED = "ROUND_CLOSED",
  AWARDS_PUBLISHED = "AWARDS_PUBLISHED",
}

/** A chain head fixed in the append-only judging.score_log_head and signed (see fixScoreLogHead). */
export interface PublishedScoreLogHead {
  roundId: string;
  reason: ScoreLogHeadReason;
  hash: string;
  recordCount: number;
  fixedAt: Date;
  jws: string;
}

/** What the head's JWS signs: its claims, so a partner reads the head from the signed text itself. */
export function scoreLogHeadClaims(head: Omit<PublishedScoreLogHead, "jws">): Record<string, unknown> {
  return {
    typ: "score-log-head/v1",
    roundId: head.roundId,
    reason: head.reason,
    hash: head.hash,
    recordCount: head.recordCount,
    fixedAt: head.fixedAt.toISOString(),
  };
}

/**
 * Fixes the round's current head (GENESIS_HASH and 0 for an empty log) in the append-only head table, signed
 * with the token signing key. Call inside the transaction that holds the round's row lock or, for a CLOSED
 * round (whose log no longer grows), any transaction.
 */
export async function fixScoreLogHead(manager: EntityManager, round: JudgingRound, reason: ScoreLogHeadReason): Promise<PublishedScoreLogHead> {
  const unsigned = { roundId: round.id, reason, hash: round.logHeadHash ?? GENESIS_HASH, recordCount: round.logLength, fixedAt: new Date() };
  const head = { ...unsigned, jws: signDocument(scoreLogHeadClaims(unsigned)) };
  await manager.query(`INSERT INTO ${SCHEMA}.score_log_head (round_id, reason, hash, record_count, fixed_at, jws) VALUES ($1, $2, $3, $4, $5, $6)`, [
    head.roundId,
    head.reason,
    head.hash,
    head.recordCount,
    head.fixedAt,
    head.jws,
  ]);
  return head;
}

const HEAD_COLUMNS = `round_id AS "roundId", reason, hash, record_count AS "recordCount", fixed_at AS "fixedAt", jws`;

/** Every head fixed for the given rounds, oldest first. */
export function publishedHeads(manager: Queryable, roundIds: readonly string[]): Promise<PublishedScoreLogHead[]> {
  return manager.query(`SELECT ${HEAD_COLUMNS} FROM ${SCHEMA}.score_log_head WHERE round_id = ANY($1::uuid[]) ORDER BY round_id, id`, [roundIds]);
}

export interface LogProblem {
  sequence: number | null;
  problem: string;
}

/**
 * Recomputes a round's chain: every record's hash, every link, the sequence without gaps, the head kept on
 * the round, and that each current score equals the last record of its assignment.
 */
export function verifyChain(round: JudgingRound, events: ScoreEvent[], scores: Score[], heads: { hash: string; recordCount: number }[] = []): LogProblem[] {
  const problems: LogProblem[] = [];
  for (const head of heads) {
    if (!chainExtends(events, head)) {
      problems.push({
        sequence: head.recordCount || null,
        problem: `The head fixed at record ${head.recordCount} (${head.hash}) is not in today's chain: records up to it were changed or removed.`,
      });
    }
  }
  let previousHash = GENESIS_HASH;
  const lastByAssignment = new Map<string, ScoreEvent>();
  events.forEach((event, index) => {
    const expectedSequence = index + 1;
    if (event.sequence !== expectedSequence) {
      problems.push({ sequence: event.sequence, problem: `Record ${expectedSequence} is missing: the next record found is ${event.sequence}.` });
    }
    if (event.previousHash !== previousHash) {
      problems.push({ sequence: event.sequence, problem: "The record does not point at the hash of the record before it." });
    }
    if (eventHash(event) !== event.hash) {
      problems.push({ sequence: event.sequence, problem: "The record's content does not match its hash: it was changed after it was written." });
    }
    previousHash = event.hash;
    lastByAssignment.set(event.assignmentId, event);
  });
  const length = events.length ? events[events.length - 1].sequence : 0;
  if (length !== round.logLength || (round.logLength > 0 && previousHash !== round.logHeadHash)) {
    problems.push({
      sequence: null,
      problem: `The round records a log of ${round.logLength} records ending in ${round.logHeadHash ?? "nothing"}; the log found has ${events.length} ending in ${events.length ? previousHash : "nothing"}.`,
    });
  }
  const scoreByAssignment = new Map(scores.map((score) => [score.assignmentId, score]));
  for (const [assignmentId, event] of lastByAssignment) {
    const score = scoreByAssignment.get(assignmentId);
    if (event.kind === ScoreEventKind.WITHDRAWN) {
      if (score) problems.push({ sequence: event.sequence, problem: `Assignment ${assignmentId} has a current score although its last record withdrew it.` });
      continue;
    }
    const same =
      score !== undefined &&
      decimal(score.value) === decimal(event.value) &&
      score.pass === event.pass &&
      JSON.stringify(canonicalCriteria(score.criteria)) === JSON.stringify(canonicalCriteria(event.criteria));
    if (!same) problems.push({ sequence: event.sequence, problem: `The current score of assignment ${assignmentId} differs from its last log record.` });
  }
  for (const score of scores) {
    if (!lastByAssignment.has(score.assignmentId))
      problems.push({ sequence: null, problem: `Assignment ${score.assignmentId} has a score that no log record explains.` });
  }
  return problems;
}

function canonicalCriteria(criteria: CriteriaValues | null | undefined): [string, string | null][] {
  return Object.keys(criteria ?? {})
    .sort()
    .map((code) => [code, decimal(criteria![code])]);
}

/**
 * Whether today's chain extends a head someone holds: the record at the head's position (its record count)
 * has the head's hash, and every later record links to the one before and matches its own hash. A head of
 * 0 records (GENESIS_HASH) is extended by any intact chain. Records before the head cannot be checked
 * against it (the head's hash covers them: a changed earlier record changes every hash up to the head).
 */
export function chainExtends(events: ScoreEvent[], head: { hash: string; recordCount?: number | null }): boolean {
  const position = head.recordCount ?? events.findIndex((event) => event.hash === head.hash) + 1;
  if (position < 0 || position > events.length) return false;
  if (position === 0) {
    if (head.hash !== GENESIS_HASH) return false;
  } else {
    const held = events[position - 1];
    if (held.sequence !== position || held.hash !== head.hash || eventHash(held) !== held.hash) return false;
  }
  let previousHash = head.hash;
  for (const event of events.slice(position)) {
    if (event.previousHash !== previousHash || eventHash(event) !== event.hash) return false;
    previousHash = event.hash;
  }
  return true;
}
