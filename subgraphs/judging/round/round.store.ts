// The SQL of rounds' life cycle: opening and closing a round, and what deciding them needs to count. The rules (which
// status may change to which, what needs confirming) live in round.service.ts; values travel as parameters.
import { EntityManager } from "typeorm";
import type { Queryable } from "../../../lib/database";
import { AssignmentStatus } from "../assignment/assignment.entity";
import { RoundStatus } from "./round.entity";

const SCHEMA = "judging";

/** How many of a round's awards are published or on their way to it (then its acceptance cap may not change). */
export async function publishedAwardCount(db: Queryable, roundId: string): Promise<number> {
  const [{ published }] = (await db.query(
    `SELECT count(*)::int AS published FROM ${SCHEMA}.award WHERE round_id = $1 AND (published_at IS NOT NULL OR publish_requested_at IS NOT NULL)`,
    [roundId],
  )) as { published: number }[];
  return published;
}

/** The judges with at least one assignment in the round that they have not recused themselves from. */
export async function judgesWithAssignments(manager: EntityManager, roundId: string): Promise<string[]> {
  const rows: { judgeId: string }[] = await manager.query(
    `SELECT DISTINCT judge_id AS "judgeId" FROM ${SCHEMA}.assignment WHERE round_id = $1 AND status <> $2`,
    [roundId, AssignmentStatus.RECUSED],
  );
  return rows.map((row) => row.judgeId);
}

/** How many of the round's assignments still wait for their score. */
export async function unscoredAssignmentCount(manager: EntityManager, roundId: string): Promise<number> {
  const [{ unscored }] = await manager.query(`SELECT count(*)::int AS unscored FROM ${SCHEMA}.assignment WHERE round_id = $1 AND status = $2`, [
    roundId,
    AssignmentStatus.ASSIGNED,
  ]);
  return unscored;
}

/** Marks the round OPEN now. */
export async function markRoundOpened(manager: EntityManager, roundId: string): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.judging_round SET status = $2, opened_at = now(), updated_at = now() WHERE id = $1`, [roundId, RoundStatus.OPEN]);
}

/** Marks the round CLOSED now, recording how many assignments it closed without their score. */
export async function markRoundClosed(manager: EntityManager, roundId: string, unscored: number): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.judging_round SET status = $2, closed_at = now(), closed_with_unscored = $3, updated_at = now() WHERE id = $1`, [
    roundId,
    RoundStatus.CLOSED,
    unscored,
  ]);
}
