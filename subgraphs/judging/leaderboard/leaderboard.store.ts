// The SQL the ranking reads: a round's entries, its current scores (in whole thousandths), and per-judge tallies
// for explanations. The ranking itself is the pure function in leaderboard.ranking.ts.
import { emptyTally, RankedRow, RankingEntry, rankRound, RankingScore, RankingSettings, roundStatistics, RoundStatistics, Tally } from "./leaderboard.ranking";

/** A DataSource, an EntityManager, or anything else with TypeORM's query(sql, params). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface RankableRound extends RankingSettings {
  id: string;
}

/** Everything rankRound needs for a round: two statements, whatever its size. */
export async function loadRankingInput(db: Queryable, round: RankableRound): Promise<{ entries: RankingEntry[]; scores: RankingScore[] }> {
  const [entries, scores] = await Promise.all([
    db.query(
      `SELECT round_entry.entry_id AS "entryId", round_entry.theme, round_entry.division_id AS "divisionId", round_entry.venue_id AS "venueId",
              COALESCE(assigned.count, 0)::int AS "assignedJudgeCount"
         FROM judging.round_entry round_entry
         LEFT JOIN (SELECT entry_id, count(*) AS count FROM judging.assignment WHERE round_id = $1 AND status <> 'RECUSED' GROUP BY entry_id) assigned
           ON assigned.entry_id = round_entry.entry_id
        WHERE round_entry.round_id = $1`,
      [round.id],
    ) as Promise<RankingEntry[]>,
    db.query(
      `SELECT judge_id AS "judgeId", entry_id AS "entryId", (value * 1000)::int AS value, pass FROM judging.score WHERE round_id = $1`,
      [round.id],
    ) as Promise<RankingScore[]>,
  ]);
  return { entries, scores };
}

/** Every entry of a round, ranked, in ranking order: the inputs read here, ranked by the pure rankRound. */
export async function rankedRowsOf(db: Queryable, round: RankableRound): Promise<RankedRow[]> {
  const { entries, scores } = await loadRankingInput(db, round);
  return rankRound(round, entries, scores);
}

/** The round's and each judge's tallies (exact sums in thousandths), for explaining normalised scores. */
export async function loadRoundStatistics(db: Queryable, roundId: string): Promise<RoundStatistics> {
  const rows = (await db.query(
    `SELECT judge_id AS "judgeId", count(*)::int AS count, sum((value * 1000)::bigint)::text AS sum, sum(((value * 1000)::bigint)::numeric * ((value * 1000)::bigint))::text AS "sumOfSquares"
       FROM judging.score WHERE round_id = $1 AND value IS NOT NULL GROUP BY judge_id`,
    [roundId],
  )) as { judgeId: string; count: number; sum: string; sumOfSquares: string }[];
  const round = emptyTally();
  const judges = new Map<string, Tally>();
  for (const row of rows) {
    const tally: Tally = { count: row.count, sum: BigInt(row.sum), sumOfSquares: BigInt(row.sumOfSquares.split(".")[0]) };
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

