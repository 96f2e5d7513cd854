// The SQL of assignments and of what a round's assignments are planned from (its entry snapshot and judge pool).
// Rules live in assignment.service.ts, the planning in assignment.planner.ts; values always travel as parameters.
import { DataSource, EntityManager } from "typeorm";
import { keysetPage, Page, PageArgs } from "../../../lib/pagination";
import { JudgingRound, RoundStatus } from "../round/round.entity";
import { Assignment, AssignmentOrigin, AssignmentStatus } from "./assignment.entity";
import { ReplacementInput } from "./assignment.planner";
import { rowsOf } from "../../../lib/database";

const SCHEMA = "judging";

// By round, then entry id: a fixed order that says nothing about the entry (timestamps would also lose
// microseconds in a cursor, and bulk-inserted assignments share one).
const ASSIGNMENT_ORDER = {
  columns: ["assignment.round_id", "assignment.entry_id", "assignment.id"],
  direction: "ASC" as const,
  cursorOf: (assignment: Assignment) => [assignment.roundId, assignment.entryId, assignment.id],
};

/** One entry of a round's snapshot, as assignJudges stores it. */
export interface SnapshotEntry {
  entryId: string;
  theme: string;
  kind: string;
  venueId: string;
  organizationId: string;
  divisionId: string | null;
}

/** What checkEligible needs to know about an entry of the round and one judge. */
export interface EligibilityFacts {
  entryId: string;
  venueId: string;
  organizationId: string;
  alreadyAssigned: boolean;
}

/**
 * Replaces a DRAFT round's entry snapshot, judge pool and assignments with an automatic plan, and records the
 * quorum and seed it was planned with.
 */
export async function saveAutomaticPlan(
  manager: EntityManager,
  plan: {
    roundId: string;
    entries: readonly SnapshotEntry[];
    judgeIds: readonly string[];
    assignments: readonly { entryId: string; judgeId: string }[];
    quorum: number;
    seed: string;
  },
): Promise<void> {
  const { roundId, entries, assignments } = plan;
  await manager.query(`DELETE FROM ${SCHEMA}.assignment WHERE round_id = $1`, [roundId]);
  await manager.query(`DELETE FROM ${SCHEMA}.round_entry WHERE round_id = $1`, [roundId]);
  await manager.query(`DELETE FROM ${SCHEMA}.round_judge WHERE round_id = $1`, [roundId]);
  await manager.query(
    `INSERT INTO ${SCHEMA}.round_entry (round_id, entry_id, theme, kind, venue_id, organization_id, division_id)
     SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::uuid[])`,
    [
      roundId,
      entries.map((entry) => entry.entryId),
      entries.map((entry) => entry.theme),
      entries.map((entry) => entry.kind),
      entries.map((entry) => entry.venueId),
      entries.map((entry) => entry.organizationId),
      entries.map((entry) => entry.divisionId),
    ],
  );
  await manager.query(`INSERT INTO ${SCHEMA}.round_judge (round_id, judge_id) SELECT $1, unnest($2::uuid[])`, [roundId, plan.judgeIds]);
  await manager.query(
    `INSERT INTO ${SCHEMA}.assignment (round_id, entry_id, judge_id, status, origin)
     SELECT $1, assigned.entry_id, assigned.judge_id, $4, $5
       FROM unnest($2::uuid[], $3::uuid[]) AS assigned(entry_id, judge_id)`,
    [roundId, assignments.map((item) => item.entryId), assignments.map((item) => item.judgeId), AssignmentStatus.ASSIGNED, AssignmentOrigin.AUTOMATIC],
  );
  await manager.query(`UPDATE ${SCHEMA}.judging_round SET quorum = $2, assignment_seed = $3, entries_loaded_at = now(), updated_at = now() WHERE id = $1`, [
    roundId,
    plan.quorum,
    plan.seed,
  ]);
}

/** Inserts an unscored assignment; returns its id. */
export async function insertAssignment(manager: EntityManager, roundId: string, entryId: string, judgeId: string, origin: AssignmentOrigin): Promise<string> {
  const [{ id }] = await manager.query(
    `INSERT INTO ${SCHEMA}.assignment (round_id, entry_id, judge_id, status, origin) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [roundId, entryId, judgeId, AssignmentStatus.ASSIGNED, origin],
  );
  return id as string;
}

/** Adds a judge to the round's pool (kept when already there). */
export async function addToPool(manager: EntityManager, roundId: string, judgeId: string): Promise<void> {
  await manager.query(`INSERT INTO ${SCHEMA}.round_judge (round_id, judge_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [roundId, judgeId]);
}

export async function deleteAssignment(manager: EntityManager, id: string): Promise<void> {
  await manager.query(`DELETE FROM ${SCHEMA}.assignment WHERE id = $1`, [id]);
}

/** Gives assignments to other judges, recording how (`origin`). */
export async function moveAssignments(manager: EntityManager, moves: readonly { id: string; judgeId: string }[], origin: AssignmentOrigin): Promise<void> {
  if (!moves.length) return;
  await manager.query(
    `UPDATE ${SCHEMA}.assignment assignment SET judge_id = moved.judge_id, origin = $3, updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[]) AS moved(id, judge_id) WHERE assignment.id = moved.id`,
    [moves.map((move) => move.id), moves.map((move) => move.judgeId), origin],
  );
}

/** A judge's unscored assignments in a round, by entry id. */
export function unscoredAssignmentsOf(manager: EntityManager, roundId: string, judgeId: string): Promise<Assignment[]> {
  return manager.getRepository(Assignment).find({ where: { roundId, judgeId, status: AssignmentStatus.ASSIGNED }, order: { entryId: "ASC" } });
}

/** The assignment, locked until the transaction ends; undefined when there is none. */
export async function lockAssignment(manager: EntityManager, id: string): Promise<Assignment | undefined> {
  return (
    (await manager.getRepository(Assignment).createQueryBuilder("assignment").setLock("pessimistic_write").where("assignment.id = :id", { id }).getOne()) ??
    undefined
  );
}

/** Removes the score given on an assignment (its withdrawal is logged by the caller). */
export async function deleteScoreOf(manager: EntityManager, assignmentId: string): Promise<void> {
  await manager.query(`DELETE FROM ${SCHEMA}.score WHERE assignment_id = $1`, [assignmentId]);
}

/** Marks an assignment recused, with the reason. */
export async function markRecused(manager: EntityManager, id: string, reason: string): Promise<void> {
  await manager.query(`UPDATE ${SCHEMA}.assignment SET status = $3, recusal_reason = $2, recused_at = now(), updated_at = now() WHERE id = $1`, [
    id,
    reason,
    AssignmentStatus.RECUSED,
  ]);
}

/** Every judge who holds (or held) an assignment in the round. */
export async function judgeIdsOfRound(manager: EntityManager, roundId: string): Promise<string[]> {
  const rows: { judgeId: string }[] = await manager.query(`SELECT DISTINCT judge_id AS "judgeId" FROM ${SCHEMA}.assignment WHERE round_id = $1`, [roundId]);
  return rows.map((row) => row.judgeId);
}

/** The entry as the round snapshotted it, and whether the judge already holds (or held) it; undefined when not in the round. */
export async function eligibilityFacts(manager: EntityManager, roundId: string, entryId: string, judgeId: string): Promise<EligibilityFacts | undefined> {
  const [entry] = await manager.query(
    `SELECT entry_id AS "entryId", venue_id AS "venueId", organization_id AS "organizationId",
            EXISTS (SELECT 1 FROM ${SCHEMA}.assignment WHERE round_id = $1 AND entry_id = $2 AND judge_id = $3) AS "alreadyAssigned"
       FROM ${SCHEMA}.round_entry WHERE round_id = $1 AND entry_id = $2`,
    [roundId, entryId, judgeId],
  );
  return entry;
}

/**
 * What planReplacements needs for the given entries of a round: the pool (less `excluded`) with each judge's
 * active load, the entries' venues and organisations, and who holds or held each. Three statements, one after
 * another (a transaction's statements share one connection).
 */
export async function replacementInput(
  manager: EntityManager,
  roundId: string,
  entryIds: readonly string[],
  excluded: readonly string[],
): Promise<ReplacementInput> {
  const pool = await manager.query(
    `SELECT judge.id, judge.organization_ids AS "organizationIds", judge.venue_ids AS "venueIds",
            (SELECT count(*) FROM ${SCHEMA}.assignment WHERE round_id = $1 AND judge_id = judge.id AND status <> $3)::int AS load
       FROM ${SCHEMA}.round_judge pool JOIN ${SCHEMA}.judge judge ON judge.id = pool.judge_id
      WHERE pool.round_id = $1 AND judge.id <> ALL($2::uuid[])
      ORDER BY judge.id`,
    [roundId, excluded, AssignmentStatus.RECUSED],
  );
  const entries = await manager.query(
    `SELECT entry_id AS "entryId", venue_id AS "venueId", organization_id AS "organizationId" FROM ${SCHEMA}.round_entry WHERE round_id = $1 AND entry_id = ANY($2::uuid[])`,
    [roundId, entryIds],
  );
  const holders = await manager.query(
    `SELECT entry_id AS "entryId", judge_id AS "judgeId" FROM ${SCHEMA}.assignment WHERE round_id = $1 AND entry_id = ANY($2::uuid[])`,
    [roundId, entryIds],
  );
  return { pool, entries, holders };
}

/** How many active assignments in rounds not yet closed the judge holds for entries of these organisations or venues. */
export async function conflictingAssignmentCount(
  db: DataSource | EntityManager,
  judgeId: string,
  affiliations: { organizationIds: readonly string[]; venueIds: readonly string[] },
): Promise<number> {
  const [{ count }] = await db.query(
    `SELECT count(*)::int AS count FROM ${SCHEMA}.assignment assignment
       JOIN ${SCHEMA}.round_entry round_entry ON round_entry.round_id = assignment.round_id AND round_entry.entry_id = assignment.entry_id
       JOIN ${SCHEMA}.judging_round round ON round.id = assignment.round_id
      WHERE assignment.judge_id = $1 AND assignment.status <> $4 AND round.status <> $5
        AND (round_entry.organization_id = ANY($2::uuid[]) OR round_entry.venue_id = ANY($3::uuid[]))`,
    [judgeId, affiliations.organizationIds, affiliations.venueIds, AssignmentStatus.RECUSED, RoundStatus.CLOSED],
  );
  return count;
}

/** Recuses the unscored assignments of an entry in rounds not yet closed; returns how many. */
export async function recuseUnscoredOfEntry(db: DataSource | EntityManager, entryId: string, reason: string): Promise<number> {
  const recused = rowsOf(
    await db.query(
      `UPDATE ${SCHEMA}.assignment assignment SET status = $3, recusal_reason = $2, recused_at = now(), updated_at = now()
       FROM ${SCHEMA}.judging_round round
      WHERE round.id = assignment.round_id AND round.status <> $4 AND assignment.entry_id = $1 AND assignment.status = $5
      RETURNING assignment.id`,
      [entryId, reason, AssignmentStatus.RECUSED, RoundStatus.CLOSED, AssignmentStatus.ASSIGNED],
    ),
  );
  return recused.length;
}

/** A judge's own assignments in rounds judges can see (not DRAFT), recused ones left out. */
export function ownAssignments(
  dataSource: DataSource,
  judgeId: string | undefined,
  filter: { roundId?: string; status?: AssignmentStatus | null },
  args: PageArgs,
): Promise<Page<Assignment>> {
  const query = dataSource
    .getRepository(Assignment)
    .createQueryBuilder("assignment")
    .innerJoin(JudgingRound, "round", "round.id = assignment.round_id AND round.status <> :draft", { draft: RoundStatus.DRAFT })
    .where("assignment.judge_id = :judgeId", { judgeId })
    .andWhere("assignment.status <> :recused", { recused: AssignmentStatus.RECUSED });
  if (filter.roundId) query.andWhere("assignment.round_id = :roundId", { roundId: filter.roundId });
  if (filter.status) query.andWhere("assignment.status = :status", { status: filter.status });
  return keysetPage(query, ASSIGNMENT_ORDER, args);
}

/** Every assignment of a round, optionally of one judge, one entry or one status. */
export function assignmentsOfRound(
  dataSource: DataSource,
  roundId: string,
  filter: { judgeId?: string; entryId?: string; status?: AssignmentStatus | null },
  args: PageArgs,
): Promise<Page<Assignment>> {
  const query = dataSource.getRepository(Assignment).createQueryBuilder("assignment").where("assignment.round_id = :roundId", { roundId });
  if (filter.judgeId) query.andWhere("assignment.judge_id = :judgeId", { judgeId: filter.judgeId });
  if (filter.entryId) query.andWhere("assignment.entry_id = :entryId", { entryId: filter.entryId });
  if (filter.status) query.andWhere("assignment.status = :status", { status: filter.status });
  return keysetPage(query, ASSIGNMENT_ORDER, args);
}
