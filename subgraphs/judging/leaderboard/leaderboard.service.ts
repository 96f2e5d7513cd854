// Responsible for leaderboards and their explanations: the ranking is leaderboard.ranking.ts's pure function
// over the round's scores and the judges' kept statistics (one statement whatever the number of entries); a
// closed round's is kept (leaderboard.cache.ts).
import DataLoader from "dataloader";
import { DataSource } from "typeorm";
import { badInput } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { decodeCursor, Page, PageArgs, pageFromRows, pageSize } from "../../../lib/pagination";
import { ThemeCode } from "../../../lib/themes";
import { JudgingRound, RoundKind } from "../round/round.entity";
import { RoundService } from "../round/round.service";
import { closedRankingKey, closedRankingView } from "./leaderboard.cache";
import { explainScores, RoundStatistics, ScoreExplanation } from "./leaderboard.ranking";
import { loadAssignedJudgeCounts, loadEntryScores, loadRoundStatistics, rankedRowsOf } from "./leaderboard.store";
import { LeaderboardRow } from "./leaderboard.types";

export class LeaderboardService {
  private readonly statistics = new Map<string, Promise<RoundStatistics>>();
  private readonly explanations: DataLoader<{ round: JudgingRound; entryId: string }, ScoreExplanation | null, string>;
  /** Judges assigned (recusals not counted) by "round|entry": read for the rows a page shows, not for the whole ranking. */
  private readonly assignedJudges = new DataLoader<string, number>(async (keys) => {
    const counts = new Map<string, number>();
    const byRound = new Map<string, string[]>();
    for (const key of keys) {
      const [roundId, entryId] = key.split("|");
      byRound.set(roundId, [...(byRound.get(roundId) ?? []), entryId]);
    }
    await Promise.all(
      [...byRound].map(async ([roundId, entryIds]) => {
        for (const [entryId, count] of await loadAssignedJudgeCounts(this.dataSource, roundId, entryIds)) counts.set(`${roundId}|${entryId}`, count);
      }),
    );
    return keys.map((key) => counts.get(key) ?? 0);
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: RoundService,
  ) {
    this.explanations = new DataLoader(
      async (keys) => {
        // One statement per round in the batch (a page's rows all share one), plus its tallies once per request.
        const explained = new Map<string, ScoreExplanation | null>();
        const rounds = new Map(keys.map((key) => [key.round.id, key.round]));
        await Promise.all(
          [...rounds.values()].map(async (round) => {
            const entryIds = keys.filter((key) => key.round.id === round.id).map((key) => key.entryId);
            const [statistics, scores] = await Promise.all([this.statisticsOf(round.id), loadEntryScores(this.dataSource, round.id, entryIds)]);
            for (const entryId of entryIds)
              explained.set(`${round.id}|${entryId}`, explainScores(scores.get(entryId) ?? [], statistics, { min: round.scaleMin!, max: round.scaleMax! }));
          }),
        );
        return keys.map((key) => explained.get(`${key.round.id}|${key.entryId}`) ?? null);
      },
      { cacheKeyFn: (key) => `${key.round.id}|${key.entryId}` },
    );
  }

  async leaderboard(
    roundId: string,
    theme: ThemeCode | null | undefined,
    divisionId: string | null | undefined,
    args: PageArgs,
  ): Promise<Page<LeaderboardRow>> {
    const round = await this.rounds.require(roundId);
    const division = divisionId ? parseId(divisionId, "divisionId") : null;
    const first = pageSize(args.first);
    const after = args.after ? Number(decodeCursor(args.after, 1)[0]) : 0;
    if (!Number.isInteger(after) || after < 0) throw badInput("`after` is not a cursor this list returned.", { argument: "after" });
    const cacheKey = closedRankingKey(round);
    const view = { theme: theme ?? null, divisionId: division };
    // A closed round's ranking cannot change: it is computed once and pages are read from it. Another round's is
    // ranked on each request from the judges' kept statistics and only the viewed theme's scores, read by one
    // statement (one moment, so no transaction).
    const rows = cacheKey
      ? await closedRankingView(cacheKey, view, () => rankedRowsOf(this.dataSource, round))
      : (await rankedRowsOf(this.dataSource, round, view.theme)).filter((row) => !view.divisionId || row.divisionId === view.divisionId);
    const nodes: LeaderboardRow[] = rows.slice(after, after + first + 1).map((row, index) => ({
      round,
      rank: after + index + 1,
      entry: { id: row.entryId },
      meanScore: row.meanScore,
      normalizedScore: row.normalizedScore,
      judgeCount: row.judgeCount,
      yesVotes: round.kind === RoundKind.SHORTLIST ? row.yesVotes : null,
      accepted: row.accepted,
      theme: row.theme as ThemeCode,
      themeRank: row.themeRank,
      division: row.divisionId ? { id: row.divisionId } : null,
    }));
    return pageFromRows(nodes, first, (row) => [row.rank], rows.length);
  }

  /** How many judges are assigned to a row's entry in its round, recusals not counted. */
  assignedJudgeCount(row: LeaderboardRow): Promise<number> {
    return this.assignedJudges.load(`${row.round.id}|${row.entry.id}`);
  }

  /** How a row's normalised score was made (SCORE rounds with scores; null otherwise). Organisers only, as the leaderboard. */
  async explain(row: LeaderboardRow): Promise<ScoreExplanation | null> {
    if (row.round.kind !== RoundKind.SCORE || row.judgeCount === 0) return null;
    return this.explanations.load({ round: row.round, entryId: row.entry.id });
  }

  private statisticsOf(roundId: string): Promise<RoundStatistics> {
    let statistics = this.statistics.get(roundId);
    if (!statistics) this.statistics.set(roundId, (statistics = loadRoundStatistics(this.dataSource, roundId)));
    return statistics;
  }
}
