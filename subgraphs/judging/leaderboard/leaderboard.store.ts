// The SQL the ranking reads: a round's entries, its current scores (in whole thousandths), and per-judge tallies
// (judging.judge_statistics, kept by triggers as scores change). The ranking itself is the pure function in
// leaderboard.ranking.ts.
import { AssignmentStatus } from "../assignment/assignment.entity";
import {
  emptyTally,
  RankedRow,
  rankEntries,
  RankingEntry,
  RankingScore,
  RankingSettings,
  roundStatistics,
  RoundStatistics,
  Tally,
} from "./leaderboard.ranking";

/** A DataSource, an EntityManager, or anything else with TypeORM's query(sql, params). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface RankableRound extends RankingSettings {
  id: string;
}

/**
 * A round's entries and their current scores, all of them or those of one theme: one statement reading one row per
 * entry, whatever the round's size, since each round entry keeps its current scores (round_entry.scores, kept by
 * triggers on judging.score). The answer is one JSON text: ten thousand rows parse far faster as one JSON.parse
 * than as rows.
 */
export async function loadRankingInput(
  db: Queryable,
  round: RankableRound,
  theme: string | null = null,
): Promise<{ entries: RankingEntry[]; scores: RankingScore[] }> {
  const [row] = (await db.query(
    `SELECT json_agg(json_build_array(entry_id, theme, division_id, venue_id, scores))::text AS entries
       FROM judging.round_entry WHERE round_id = $1 AND ($2::text IS NULL OR theme = $2)`,
    [round.id, theme],
  )) as { entries: string | null }[];
  const entries: RankingEntry[] = [];
  const scores: RankingScore[] = [];
  for (const [entryId, entryTheme, divisionId, venueId, entryScores] of JSON.parse(row.entries ?? "[]") as [
    string,
    string,
    string | null,
    string,
    Record<string, number | boolean>,
  ][]) {
    entries.push({ entryId, theme: entryTheme, divisionId, venueId });
    // A score in whole thousandths, or a vote.
    for (const judgeId in entryScores) {
      const given = entryScores[judgeId];
      scores.push(typeof given === "number" ? { judgeId, entryId, value: given, pass: null } : { judgeId, entryId, value: null, pass: given });
    }
  }
  return { entries, scores };
}

/** How many judges are assigned to each of some entries of a round, recusals not counted (entries without any left out). */
export async function loadAssignedJudgeCounts(db: Queryable, roundId: string, entryIds: readonly string[]): Promise<Map<string, number>> {
  const rows = (await db.query(
    `SELECT entry_id AS "entryId", count(*)::int AS count FROM judging.assignment
      WHERE round_id = $1 AND entry_id = ANY($2::uuid[]) AND status <> $3 GROUP BY entry_id`,
    [roundId, entryIds, AssignmentStatus.RECUSED],
  )) as { entryId: string; count: number }[];
  return new Map(rows.map((row) => [row.entryId, row.count]));
}

/**
 * Every entry of a round (or of one theme), ranked, in ranking order: the entries and scores read here, the
 * round's statistics from judging.judge_statistics, ranked by the pure rankEntries. With a theme, only that
 * theme's scores are read. Call it inside one REPEATABLE READ transaction when scores may change meanwhile, so
 * the statistics and the scores are of the same moment.
 */
export async function rankedRowsOf(db: Queryable, round: RankableRound, theme: string | null = null): Promise<RankedRow[]> {
  const [statistics, { entries, scores }] = await Promise.all([loadRoundStatistics(db, round.id), loadRankingInput(db, round, theme)]);
  return rankEntries(round, statistics, entries, scores);
}

/** The round's and each judge's tallies (exact sums in thousandths) as judging.judge_statistics keeps them. */
export async function loadRoundStatistics(db: Queryable, roundId: string): Promise<RoundStatistics> {
  const rows = (await db.query(
    `SELECT judge_id AS "judgeId", score_count AS count, value_sum::text AS sum, value_sum_of_squares::text AS "sumOfSquares"
       FROM judging.judge_statistics WHERE round_id = $1 AND score_count > 0`,
    [roundId],
  )) as { judgeId: string; count: number; sum: string; sumOfSquares: string }[];
  const round = emptyTally();
  const judges = new Map<string, Tally>();
  for (const row of rows) {
    const tally: Tally = { count: row.count, sum: BigInt(row.sum), sumOfSquares: BigInt(row.sumOfSquares) };
    judges.set(row.judgeId, tally);
    round.count += tally.count;
    round.sum += tally.sum;
    round.sumOfSquares += tally.sumOfSquares;
  }
  return roundStatistics(round, judges);
}

/** The current scores (thousandths) of some entries of a round, by entry. */
export async function loadEntryScores(db: Queryable, roundId: string, entryIds: readonly string[]): Promise<Map<string, { judgeId: string; value: number }[]>> {
  const rows = (await db.query(
    `SELECT judge_id AS "judgeId", entry_id AS "entryId", (value * 1000)::int AS value FROM judging.score WHERE round_id = $1 AND entry_id = ANY($2::uuid[]) AND value IS NOT NULL`,
    [roundId, entryIds],
  )) as { judgeId: string; entryId: string; value: number }[];
  const byEntry = new Map<string, { judgeId: string; value: number }[]>();
  for (const row of rows) byEntry.set(row.entryId, [...(byEntry.get(row.entryId) ?? []), row]);
  return byEntry;
}
