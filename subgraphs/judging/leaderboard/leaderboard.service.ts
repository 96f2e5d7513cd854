// Responsible for leaderboards: one statement per page, whatever the number of entries (see leaderboard.ranking.ts).
import { DataSource } from "typeorm";
import { badInput } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { decodeCursor, Page, PageArgs, pageFromRows, pageSize } from "../../../lib/pagination";
import { ThemeCode } from "../../../lib/themes";
import { RoundKind } from "../round/round.entity";
import { RoundService } from "../round/round.service";
import { RANKED_COLUMNS, rankedEntries, RankedRow, rankingOrder } from "./leaderboard.ranking";
import { closedRankingKey, closedRankingView } from "./leaderboard.cache";
import { LeaderboardRow } from "./leaderboard.types";

export class LeaderboardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: RoundService,
  ) {}

  async leaderboard(roundId: string, theme: ThemeCode | null | undefined, divisionId: string | null | undefined, args: PageArgs): Promise<Page<LeaderboardRow>> {
    const round = await this.rounds.require(roundId);
    const division = divisionId ? parseId(divisionId, "divisionId") : null;
    const first = pageSize(args.first);
    const after = args.after ? Number(decodeCursor(args.after, 1)[0]) : 0;
    if (!Number.isInteger(after) || after < 0) throw badInput("`after` is not a cursor this list returned.", { argument: "after" });
    const ranked = rankedEntries(round);
    const cacheKey = closedRankingKey(round);
    let rows: (RankedRow & { rank: number; total: number })[];
    let total: number | (() => Promise<number>);
    if (cacheKey) {
      // A closed round's ranking cannot change: it is computed once (one statement) and pages are read from it.
      const view = await closedRankingView(cacheKey, { theme: theme ?? null, divisionId: division }, () =>
        this.dataSource.query(`${ranked.sql} SELECT ${RANKED_COLUMNS} FROM judged ORDER BY ${rankingOrder(round.kind)}`, ranked.params),
      );
      rows = view.slice(after, after + first + 1).map((row, index) => ({ ...row, rank: after + index + 1, total: view.length }));
      total = view.length;
    } else {
      rows =
        first === 0
          ? []
          : await this.dataSource.query(
              `${ranked.sql}, scoped AS (
                 SELECT judged.*, (row_number() OVER (ORDER BY ${rankingOrder(round.kind)}))::int AS rank, (count(*) OVER ())::int AS total
                   FROM judged WHERE ($6::text IS NULL OR theme = $6) AND ($7::uuid IS NULL OR division_id = $7)
               )
               SELECT ${RANKED_COLUMNS}, rank, total FROM scoped WHERE rank > $8 ORDER BY rank LIMIT $9`,
              [...ranked.params, theme ?? null, division, after, first + 1],
            );
      total = rows.length
        ? rows[0].total
        : async () => {
            const [{ count }] = await this.dataSource.query(
              `SELECT count(*)::int AS count FROM judging.round_entry WHERE round_id = $1 AND ($2::text IS NULL OR theme = $2) AND ($3::uuid IS NULL OR division_id = $3)`,
              [round.id, theme ?? null, division],
            );
            return count as number;
          };
    }
    const nodes: LeaderboardRow[] = rows.map((row) => ({
      rank: row.rank,
      entry: { id: row.entryId },
      meanScore: row.meanScore,
      normalizedScore: row.normalizedScore,
      judgeCount: row.judgeCount,
      assignedJudgeCount: row.assignedJudgeCount,
      yesVotes: round.kind === RoundKind.SHORTLIST ? row.yesVotes : null,
      accepted: row.accepted,
      theme: row.theme as ThemeCode,
      themeRank: row.themeRank,
      division: row.divisionId ? { id: row.divisionId } : null,
    }));
    return pageFromRows(nodes, first, (row) => [row.rank], total);
  }
}
