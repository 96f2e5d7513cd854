// The judging subgraph's per-request DataLoaders: every lookup by id and every child list is batched here,
// and every loader that returns awards or scores already applies the caller's visibility.
import DataLoader from "dataloader";
import { DataSource, In } from "typeorm";
import type { Viewer } from "../../lib/auth";
import { viewerJudgeId, visibleAwardsSql, visibleScores } from "./judging.visibility";
import { wellFormedIds } from "../../lib/ids";
import { groupLoader, rowLoader } from "../../lib/loaders";
import { Assignment, AssignmentStatus } from "./assignment/assignment.entity";
import { Award, AWARD_TIER_ORDER_PARAMETER, AWARD_TIER_RANK_SQL, TIER_ORDER } from "./award/award.entity";
import { Judge } from "./judge/judge.entity";
import { JudgingRound, RoundStatus } from "./round/round.entity";
import type { PublishedScoreLogHead } from "./score/score-log";
import { Score } from "./score/score.entity";

const SCHEMA = "judging";

/** Counts of a round's assignments, overall and per judge. */
export interface RoundCounts {
  entries: number;
  assignments: number;
  scored: number;
  pending: number;
  recused: number;
  entriesFullyScored: number;
  entriesShortOfQuorum: number;
  judges: { judgeId: string; assigned: number; scored: number; pending: number; recused: number }[];
}

/** Awards every caller may see: organisers all, everyone else published ones only. */
const awardScope = (viewer: Viewer | undefined) => ` AND ${visibleAwardsSql(viewer)}`;

export function createJudgingLoaders(dataSource: DataSource, viewer: Viewer | undefined) {
  const awards = dataSource.getRepository(Award);
  const scores = dataSource.getRepository(Score);
  const awardsWhere = (column: string) => (ids: readonly string[]) =>
    awards
      .createQueryBuilder("award")
      .where(`award.${column} = ANY(CAST(:ids AS uuid[]))${awardScope(viewer)}`, { ids: wellFormedIds(ids) })
      .orderBy(AWARD_TIER_RANK_SQL)
      .setParameter(AWARD_TIER_ORDER_PARAMETER, TIER_ORDER)
      .addOrderBy("award.theme")
      .addOrderBy("award.position")
      .addOrderBy("award.id")
      .getMany();

  return {
    judge: rowLoader<string, Judge>(
      (ids) => dataSource.getRepository(Judge).findBy({ id: In(wellFormedIds(ids)) }),
      (row) => row.id,
    ),
    round: rowLoader<string, JudgingRound>(
      (ids) => dataSource.getRepository(JudgingRound).findBy({ id: In(wellFormedIds(ids)) }),
      (row) => row.id,
    ),
    assignment: rowLoader<string, Assignment>(
      (ids) => dataSource.getRepository(Assignment).findBy({ id: In(wellFormedIds(ids)) }),
      (row) => row.id,
    ),
    /** Awards by id, unpublished ones only for organisers. */
    award: rowLoader<string, Award>(awardsWhere("id"), (row) => row.id),
    awardsByEntry: groupLoader<string, Award>(awardsWhere("entry_id"), (row) => row.entryId),
    awardsByVenue: groupLoader<string, Award>(awardsWhere("venue_id"), (row) => row.venueId),
    /** The score of an assignment (callers check the assignment is theirs first). */
    scoreByAssignment: rowLoader<string, Score>(
      (ids) => scores.findBy({ assignmentId: In(wellFormedIds(ids)) }),
      (row) => row.assignmentId,
    ),
    /** Scores of an entry the caller may see: organisers all, a judge their own, nobody else any. */
    scoresByEntry: groupLoader<string, Score>(
      async (ids) => {
        const visible = visibleScores(viewer);
        if (!visible) return [];
        const judgeScope = "judgeId" in visible ? { judgeId: visible.judgeId } : {};
        return scores.find({ where: { entryId: In(wellFormedIds(ids)), ...judgeScope }, order: { createdAt: "ASC" } });
      },
      (row) => row.entryId,
    ),
    /** For a judge: the rounds among the keys, open or closed, in which they have an assignment. */
    roundOfViewerJudge: rowLoader<string, string>(
      async (ids) => {
        const judgeId = viewerJudgeId(viewer);
        if (!judgeId) return [];
        const rows: { roundId: string }[] = await dataSource.query(
          `SELECT DISTINCT assignment.round_id AS "roundId" FROM ${SCHEMA}.assignment assignment
           JOIN ${SCHEMA}.judging_round round ON round.id = assignment.round_id
          WHERE assignment.judge_id = $1 AND assignment.round_id = ANY($2::uuid[]) AND round.status <> $3`,
          [judgeId, wellFormedIds(ids), RoundStatus.DRAFT],
        );
        return rows.map((row) => row.roundId);
      },
      (roundId) => roundId,
    ),
    /** Rounds among the keys with at least one published award: their score-log heads are public. */
    roundWithPublishedAwards: rowLoader<string, string>(
      async (ids) => {
        const rows: { roundId: string }[] = await dataSource.query(
          `SELECT DISTINCT round_id AS "roundId" FROM ${SCHEMA}.award WHERE round_id = ANY($1::uuid[]) AND published_at IS NOT NULL`,
          [wellFormedIds(ids)],
        );
        return rows.map((row) => row.roundId);
      },
      (roundId) => roundId,
    ),
    /** The latest score-log head fixed for each round (see score-log.ts); visibility is the caller's (RoundService). */
    scoreLogHead: rowLoader<string, PublishedScoreLogHead>(
      (ids) =>
        dataSource.query(
          `SELECT DISTINCT ON (round_id) round_id AS "roundId", reason, hash, record_count AS "recordCount", fixed_at AS "fixedAt", jws
             FROM ${SCHEMA}.score_log_head WHERE round_id = ANY($1::uuid[]) ORDER BY round_id, id DESC`,
          [wellFormedIds(ids)],
        ),
      (row) => row.roundId,
    ),
    /** Progress counts for many rounds in two statements. */
    roundCounts: new DataLoader<string, RoundCounts>(async (roundIds) => {
      const ids = wellFormedIds(roundIds);
      const [totals, perJudge] = await Promise.all([
        dataSource.query(
          `SELECT round_entry.round_id AS "roundId",
                  count(*)::int AS entries,
                  COALESCE(sum(per_entry.assigned), 0)::int AS assignments,
                  COALESCE(sum(per_entry.scored), 0)::int AS scored,
                  COALESCE(sum(per_entry.pending), 0)::int AS pending,
                  COALESCE(sum(per_entry.recused), 0)::int AS recused,
                  (count(*) FILTER (WHERE per_entry.assigned > 0 AND per_entry.pending = 0))::int AS "entriesFullyScored",
                  (count(*) FILTER (WHERE COALESCE(per_entry.assigned, 0) < round.quorum))::int AS "entriesShortOfQuorum"
             FROM ${SCHEMA}.round_entry round_entry
             JOIN ${SCHEMA}.judging_round round ON round.id = round_entry.round_id
             LEFT JOIN (
               SELECT round_id, entry_id,
                      count(*) FILTER (WHERE status <> $2) AS assigned,
                      count(*) FILTER (WHERE status = $3) AS scored,
                      count(*) FILTER (WHERE status = $4) AS pending,
                      count(*) FILTER (WHERE status = $2) AS recused
                 FROM ${SCHEMA}.assignment WHERE round_id = ANY($1::uuid[]) GROUP BY round_id, entry_id
             ) per_entry ON per_entry.round_id = round_entry.round_id AND per_entry.entry_id = round_entry.entry_id
            WHERE round_entry.round_id = ANY($1::uuid[])
            GROUP BY round_entry.round_id`,
          [ids, AssignmentStatus.RECUSED, AssignmentStatus.SCORED, AssignmentStatus.ASSIGNED],
        ),
        dataSource.query(
          `SELECT round_id AS "roundId", judge_id AS "judgeId",
                  (count(*) FILTER (WHERE status <> $2))::int AS assigned,
                  (count(*) FILTER (WHERE status = $3))::int AS scored,
                  (count(*) FILTER (WHERE status = $4))::int AS pending,
                  (count(*) FILTER (WHERE status = $2))::int AS recused
             FROM ${SCHEMA}.assignment WHERE round_id = ANY($1::uuid[])
            GROUP BY round_id, judge_id ORDER BY round_id, judge_id`,
          [ids, AssignmentStatus.RECUSED, AssignmentStatus.SCORED, AssignmentStatus.ASSIGNED],
        ),
      ]);
      return roundIds.map((roundId) => {
        const total = totals.find((row: { roundId: string }) => row.roundId === roundId);
        return {
          entries: total?.entries ?? 0,
          assignments: total?.assignments ?? 0,
          scored: total?.scored ?? 0,
          pending: total?.pending ?? 0,
          recused: total?.recused ?? 0,
          entriesFullyScored: total?.entriesFullyScored ?? 0,
          entriesShortOfQuorum: total?.entriesShortOfQuorum ?? 0,
          judges: perJudge.filter((row: { roundId: string }) => row.roundId === roundId),
        };
      });
    }),
  };
}

export type JudgingLoaders = ReturnType<typeof createJudgingLoaders>;
