// The SQL of scores: writing a judge's score (and marking the assignment scored) and a judge's progress in a round.
// The rules (who may score, what a valid score is) live in score.service.ts; values travel as parameters.
import { EntityManager } from "typeorm";
import { AssignmentStatus } from "../assignment/assignment.entity";
import { CriteriaValues } from "./score.entity";

const SCHEMA = "judging";

export interface ScoreValues {
  value: number | null;
  pass: boolean | null;
  criteria: CriteriaValues;
}

/** Changes a score, counting the new version. */
export async function updateScore(manager: EntityManager, scoreId: string, values: ScoreValues): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.score SET value = $2, pass = $3, criteria = $4, version = version + 1, updated_at = now() WHERE id = $1`, [
    scoreId,
    values.value,
    values.pass,
    JSON.stringify(values.criteria),
  ]);
}

/** Inserts the first score of an assignment and marks the assignment SCORED; returns the score's id. */
export async function insertScore(
  manager: EntityManager,
  assignment: { id: string; roundId: string; judgeId: string; entryId: string },
  values: ScoreValues,
): Promise<string> {
  const [row] = await manager.query(
    `INSERT INTO ${SCHEMA}.score (assignment_id, round_id, judge_id, entry_id, value, pass, criteria, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1) RETURNING id`,
    [assignment.id, assignment.roundId, assignment.judgeId, assignment.entryId, values.value, values.pass, JSON.stringify(values.criteria)],
  );
  await manager.query(`UPDATE ${SCHEMA}.assignment SET status = $2, updated_at = now() WHERE id = $1`, [assignment.id, AssignmentStatus.SCORED]);
  return row.id;
}

/** A judge's assignments in a round by status, and how many of their scores have each value (votes: 1 yes, 0 no). */
export async function judgeProgress(
  db: EntityManager,
  roundId: string,
  judgeId: string,
): Promise<{ counts: { assigned: number; scored: number; pending: number; recused: number }; buckets: { value: number; count: number }[] }> {
  const [counts, buckets] = await Promise.all([
    db.query(
      `SELECT (count(*) FILTER (WHERE status <> $3))::int AS assigned, (count(*) FILTER (WHERE status = $4))::int AS scored,
              (count(*) FILTER (WHERE status = $5))::int AS pending, (count(*) FILTER (WHERE status = $3))::int AS recused
         FROM ${SCHEMA}.assignment WHERE round_id = $1 AND judge_id = $2`,
      [roundId, judgeId, AssignmentStatus.RECUSED, AssignmentStatus.SCORED, AssignmentStatus.ASSIGNED],
    ),
    db.query(
      `SELECT COALESCE(value::float8, CASE WHEN pass THEN 1 ELSE 0 END) AS value, count(*)::int AS count
         FROM ${SCHEMA}.score WHERE round_id = $1 AND judge_id = $2 GROUP BY 1 ORDER BY 1`,
      [roundId, judgeId],
    ),
  ]);
  return { counts: counts[0], buckets };
}
