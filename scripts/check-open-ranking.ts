// npm run check:open-ranking: on the full-scale data (npm run seed:scale), every theme's leaderboard as the judging
// subgraph ranks it (the judges' kept statistics and the theme's kept entry scores, leaderboard.store.ts) against
// the full recomputation (rankRound over every score of the round, read from judging.score), for the open and the
// closed round; and each entry's normalised score against the integer rescale. Prints one JSON line per round (with
// the wall time of the full recomputation and of each theme's ranking from the kept data) and exits 1 on any
// difference.
import "reflect-metadata";
import { Pool } from "pg";
import { flag, openScaleDatabase, SCALE } from "./scale-database";
import { loadRoundStatistics, rankedRowsOf } from "../subgraphs/judging/leaderboard/leaderboard.store";
import { rankRound, RankingEntry, RankingScore, rescale, zScore } from "../subgraphs/judging/leaderboard/leaderboard.ranking";
import { ThemeCode } from "../lib/themes";

async function main() {
  const database = await openScaleDatabase({ fresh: false, port: Number(flag("postgres-port", "54830")) });
  const pool = new Pool({ connectionString: database.url, max: 2 });
  const db = { query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows };
  let differences = 0;
  try {
    for (const [name, roundId] of [
      ["open", SCALE.openRoundId],
      ["closed", SCALE.roundId],
    ]) {
      const [round] = await db.query(
        `SELECT id, kind, scale_min::float8 AS "scaleMin", scale_max::float8 AS "scaleMax", acceptance_cap_percent::float8 AS "acceptanceCapPercent", pass_votes AS "passVotes" FROM judging.judging_round WHERE id = $1`,
        [roundId],
      );
      const fullStarted = performance.now();
      const entries: RankingEntry[] = await db.query(
        `SELECT entry_id AS "entryId", theme, division_id AS "divisionId", venue_id AS "venueId" FROM judging.round_entry WHERE round_id = $1`,
        [roundId],
      );
      const scores: RankingScore[] = await db.query(
        `SELECT judge_id AS "judgeId", entry_id AS "entryId", (value * 1000)::int AS value, pass FROM judging.score WHERE round_id = $1`,
        [roundId],
      );
      const full = rankRound(round, entries, scores);
      const fullMs = Math.round(performance.now() - fullStarted);
      const themesDiffering: string[] = [];
      const keptMs: Record<string, number> = {};
      for (const theme of Object.values(ThemeCode)) {
        const keptStarted = performance.now();
        const kept = await rankedRowsOf(db, round, theme);
        keptMs[theme] = Math.round(performance.now() - keptStarted);
        if (JSON.stringify(kept) !== JSON.stringify(full.filter((row) => row.theme === theme))) themesDiffering.push(theme);
      }
      const statistics = await loadRoundStatistics(db, roundId);
      const zSums = new Map<string, { zSum: bigint; count: number }>();
      for (const score of scores) {
        const sum = zSums.get(score.entryId) ?? { zSum: 0n, count: 0 };
        sum.zSum += zScore(score.value!, statistics.judges.get(score.judgeId)!, statistics).z;
        sum.count += 1;
        zSums.set(score.entryId, sum);
      }
      const ranked = new Map(full.map((row) => [row.entryId, row]));
      let rescaleDifferences = 0;
      for (const [entryId, { zSum, count }] of zSums) {
        const exact = Number(rescale(zSum, count, statistics, { min: round.scaleMin, max: round.scaleMax }).clamped) / 1e6;
        if (ranked.get(entryId)?.normalizedScore !== exact) rescaleDifferences += 1;
      }
      differences += themesDiffering.length + rescaleDifferences;
      process.stdout.write(
        `${JSON.stringify({ round: name, entries: entries.length, scores: scores.length, themesDiffering, entriesRescaled: zSums.size, rescaleDifferences, fullRecomputationMs: fullMs, keptRankingMs: keptMs })}\n`,
      );
    }
  } finally {
    await pool.end();
    await database.stop();
  }
  process.exit(differences ? 1 : 0);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
