// The append-only, tamper-evident score log: one hash chain per round. Each record's hash is the SHA-256 of
// its canonical content and the previous record's hash; the round row keeps the chain's length and head so
// that cutting records off the end shows too. The database refuses UPDATE/DELETE on the table (trigger);
// the chain is what reveals an edit made by someone who can bypass that.
//
// Seeding: append through appendScoreEvent inside the transaction that holds the round's row lock.
import { createHash } from "node:crypto";
import { EntityManager } from "typeorm";
import { JudgingRound } from "../round/round.entity";
import { CriteriaValues, Score, ScoreEvent, ScoreEventKind } from "./score.entity";

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

/** The exact bytes hashed: a JSON array in a fixed order, numbers as 3-decimal strings, criteria sorted by code. */
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
    `INSERT INTO judging.score_event (round_id, sequence, assignment_id, judge_id, entry_id, kind, value, pass, criteria, actor, recorded_at, previous_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [event.roundId, event.sequence, event.assignmentId, event.judgeId, event.entryId, event.kind, event.value, event.pass, JSON.stringify(event.criteria), event.actor, event.recordedAt, event.previousHash, hash],
  );
  await manager.query(`UPDATE judging.judging_round SET log_length = $2, log_head_hash = $3 WHERE id = $1`, [round.id, event.sequence, hash]);
  round.logLength = event.sequence;
  round.logHeadHash = hash;
  return Object.assign(new ScoreEvent(), event, { hash });
}

export interface LogProblem {
  sequence: number | null;
  problem: string;
}

/**
 * Recomputes a round's chain: every record's hash, every link, the sequence without gaps, the head kept on
 * the round, and that each current score equals the last record of its assignment.
 */
export function verifyChain(round: JudgingRound, events: ScoreEvent[], scores: Score[]): LogProblem[] {
  const problems: LogProblem[] = [];
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
    problems.push({ sequence: null, problem: `The round records a log of ${round.logLength} records ending in ${round.logHeadHash ?? "nothing"}; the log found has ${events.length} ending in ${events.length ? previousHash : "nothing"}.` });
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
    if (!lastByAssignment.has(score.assignmentId)) problems.push({ sequence: null, problem: `Assignment ${score.assignmentId} has a score that no log record explains.` });
  }
  return problems;
}

function canonicalCriteria(criteria: CriteriaValues | null | undefined): [string, string | null][] {
  return Object.keys(criteria ?? {})
    .sort()
    .map((code) => [code, decimal(criteria![code])]);
}
