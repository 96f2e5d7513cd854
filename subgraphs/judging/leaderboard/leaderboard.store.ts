// The SQL the ranking reads: a round's entries, its current scores (in whole thousandths), and per-judge tallies
// (judging.judge_statistics and round_entry.ranking_input, kept by triggers as scores change). The ranking itself
// is the pure function in leaderboard.ranking.ts.
import { AssignmentStatus } from "../assignment/assignment.entity";
import {
  emptyTally,
  FlatScores,
  RankedRow,
  rankFlatEntries,
  RankingEntry,
  RankingSettings,
  roundStatistics,
  RoundStatistics,
  Tally,
} from "./leaderboard.ranking";

const SCHEMA = "judging";

/**
 * A DataSource, an EntityManager, or anything else with TypeORM's query(sql, params). Deliberately wider than
 * lib/database.ts's Queryable (TypeORM's generic query): a plain pg pool wrapped to answer rows also fits (the baseline
 * benchmark's, scripts/bench-baseline-server.ts), so each answer here is unknown and read with a cast.
 */
export interface RankingSource {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface RankableRound extends RankingSettings {
  id: string;
}

/**
 * What ranking a round (or one theme of it) needs, read by ONE statement, so the judges' tallies and the entries'
 * scores are of one moment without a transaction: the round's tallies (judging.judge_statistics) by judge number,
 * and its entries, each as the JSON text judging.round_entry.ranking_input keeps for it (ids and current scores,
 * kept by triggers as scores change). One row per entry whatever the round's size, joined into one JSON text that
 * PostgreSQL only copies and one JSON.parse reads, far faster than as rows; in entry-id order, the ranking's last
 * tie-break, which it then need not sort out itself.
 */
export async function loadRankingInput(
  db: RankingSource,
  roundId: string,
  theme: string | null = null,
): Promise<{ statistics: RoundStatistics<number>; entries: RankingEntry[]; scores: FlatScores<number>[] }> {
  const [row] = (await db.query(
    `SELECT (SELECT json_agg(json_build_array(judge.number, statistics.score_count, statistics.value_sum::text, statistics.value_sum_of_squares::text))
               FROM ${SCHEMA}.judge_statistics statistics JOIN ${SCHEMA}.judge judge ON judge.id = statistics.judge_id
              WHERE statistics.round_id = $1 AND statistics.score_count > 0)::text AS statistics,
            (SELECT '[' || string_agg(ranking_input::text, ',' ORDER BY entry_id) || ']'
               FROM ${SCHEMA}.round_entry WHERE round_id = $1 AND ($2::text IS NULL OR theme = $2)) AS entries`,
    [roundId, theme],
  )) as { statistics: string | null; entries: string | null }[];
  const entries: RankingEntry[] = [];
  const scores: FlatScores<number>[] = [];
  for (const [entryId, entryTheme, divisionId, venueId, entryScores] of JSON.parse(row.entries ?? "[]") as [
    string,
    string,
    string | null,
    string,
    FlatScores<number>,
  ][]) {
    entries.push({ entryId, theme: entryTheme, divisionId, venueId });
    scores.push(entryScores);
  }
  return { statistics: statisticsOfTallies(JSON.parse(row.statistics ?? "[]") as KeptTally<number>[]), entries, scores };
}

/** How many judges are assigned to each of some entries of a round, recusals not counted (entries without any left out). */
export async function loadAssignedJudgeCounts(db: RankingSource, roundId: string, entryIds: readonly string[]): Promise<Map<string, number>> {
  const rows = (await db.query(
    `SELECT entry_id AS "entryId", count(*)::int AS count FROM ${SCHEMA}.assignment
      WHERE round_id = $1 AND entry_id = ANY($2::uuid[]) AND status <> $3 GROUP BY entry_id`,
    [roundId, entryIds, AssignmentStatus.RECUSED],
  )) as { entryId: string; count: number }[];
  return new Map(rows.map((row) => [row.entryId, row.count]));
}

/**
 * Every entry of a round (or of one theme), ranked, in ranking order: the round's statistics, entries and scores
 * read by loadRankingInput's one statement (one moment, even while scores change), ranked by the pure
 * rankFlatEntries. With a theme, only that theme's entries are read.
 */
export async function rankedRowsOf(db: RankingSource, round: RankableRound, theme: string | null = null): Promise<RankedRow[]> {
  const { statistics, entries, scores } = await loadRankingInput(db, round.id, theme);
  return rankFlatEntries(round, statistics, entries, scores);
}

/** The round's and each judge's tallies (exact sums in thousandths) as judging.judge_statistics keeps them. */
export async function loadRoundStatistics(db: RankingSource, roundId: string): Promise<RoundStatistics> {
  const rows = (await db.query(
    `SELECT judge_id AS "judgeId", score_count AS count, value_sum::text AS sum, value_sum_of_squares::text AS "sumOfSquares"
       FROM ${SCHEMA}.judge_statistics WHERE round_id = $1 AND score_count > 0`,
    [roundId],
  )) as { judgeId: string; count: number; sum: string; sumOfSquares: string }[];
  return statisticsOfTallies(rows.map((row) => [row.judgeId, row.count, row.sum, row.sumOfSquares]));
}

/** A judge's kept tally as read: the judge's key, the count, and the exact sums as text (bigint in PostgreSQL). */
type KeptTally<Judge> = [judge: Judge, count: number, sum: string, sumOfSquares: string];

/** The round's statistics from its judges' kept tallies: each judge's, and their sum for the round. */
function statisticsOfTallies<Judge>(kept: KeptTally<Judge>[]): RoundStatistics<Judge> {
  const round = emptyTally();
  const judges = new Map<Judge, Tally>();
  for (const [judge, count, sum, sumOfSquares] of kept) {
    const tally: Tally = { count, sum: BigInt(sum), sumOfSquares: BigInt(sumOfSquares) };
    judges.set(judge, tally);
    round.count += tally.count;
    round.sum += tally.sum;
    round.sumOfSquares += tally.sumOfSquares;
  }
  return roundStatistics(round, judges);
}

/** The current scores (thousandths) of some entries of a round, by entry. */
export async function loadEntryScores(
  db: RankingSource,
  roundId: string,
  entryIds: readonly string[],
): Promise<Map<string, { judgeId: string; value: number }[]>> {
  const rows = (await db.query(
    `SELECT judge_id AS "judgeId", entry_id AS "entryId", (value * 1000)::int AS value FROM ${SCHEMA}.score WHERE round_id = $1 AND entry_id = ANY($2::uuid[]) AND value IS NOT NULL`,
    [roundId, entryIds],
  )) as { judgeId: string; entryId: string; value: number }[];
  const byEntry = new Map<string, { judgeId: string; value: number }[]>();
  for (const row of rows) byEntry.set(row.entryId, [...(byEntry.get(row.entryId) ?? []), row]);
  return byEntry;
}
