import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { PageArguments } from "../../../lib/pagination";
import { ThemeCode } from "../../../lib/themes";
import type { JudgingContext } from "../context";
import { LeaderboardConnection, LeaderboardRow, RankExplanation } from "./leaderboard.types";

@Resolver(() => LeaderboardRow)
export class LeaderboardResolver {
  @Query(() => LeaderboardConnection, {
    description: [
      "A round's leaderboard, best first (organisers only; others FORBIDDEN). Errors: NOT_FOUND, BAD_USER_INPUT.",
      "Normalisation (SCORE rounds): each judge's scores in the round become z-scores (score − the judge's mean) / the judge's population standard deviation (0 when that is 0), rounded exactly to 9 decimals. A judge with fewer than 5 scores in the round is placed on the round's scale instead: z = (score − the round's mean) / the round's standard deviation, so their raw score counts at face value (so few scores cannot estimate a judge's leniency: one score used to give z = 0, two always ±1). An entry's mean z-score is rescaled as the round's mean + mean z × the round's population standard deviation (9 decimals), clamped to the scale and rounded exactly to 6 decimals. Exact fixed-point arithmetic: the same scores give the same normalizedScore whatever the order they arrived in.",
      "Ranking and tie-break: normalizedScore (6 decimals), then meanScore (exact), then judgeCount (higher first), then entry id (ascending); entries without scores last. SHORTLIST rounds: yes votes, then share of yes votes, then judgeCount, then entry id.",
      "Acceptance: SCORE rounds accept the first floor(entries of the theme × acceptanceCapPercent / 100) entries of each theme (themeRank) that have a score, counted in whole numbers (the cap in hundredths of a percent: 18.4% of 375 is 69); SHORTLIST rounds accept entries with at least passVotes yes votes.",
      "A few SQL statements per page, whatever the number of entries: an open round is ranked from each judge's running tally (kept as scores change) and the viewed theme's entries with their current scores; a closed round's ranking is computed once. LeaderboardRow.explanation shows how each normalised score was made.",
    ].join("\n\n"),
  })
  leaderboard(
    @Arg("roundId", () => ID, { description: "The round to rank (usually CLOSED; an OPEN round gives a provisional view)." }) roundId: string,
    @Arg("theme", () => ThemeCode, { nullable: true, description: "Rank within this theme only." }) theme: ThemeCode | null,
    @Arg("divisionId", () => ID, { nullable: true, description: "Rank within this regional division only (by the entry's venue when the round was set up)." })
    divisionId: string | null,
    @Args() page: PageArguments,
    @Ctx() context: JudgingContext,
  ) {
    return context.leaderboards.leaderboard(roundId, theme, divisionId, page);
  }

  @FieldResolver(() => Int, { description: "How many judges are (still) assigned to the entry, recusals not counted." })
  assignedJudgeCount(@Root() row: LeaderboardRow, @Ctx() context: JudgingContext) {
    return context.leaderboards.assignedJudgeCount(row);
  }

  @FieldResolver(() => RankExplanation, {
    nullable: true,
    description:
      "How normalizedScore was made, for answering an appeal: each judge's raw score, that judge's mean, spread and count, the z-score and the rescaling. Organisers only (as the leaderboard); null in SHORTLIST rounds and without scores.",
  })
  async explanation(@Root() row: LeaderboardRow, @Ctx() context: JudgingContext) {
    const explained = await context.leaderboards.explain(row);
    if (!explained) return null;
    const contributions = await Promise.all(
      explained.contributions.map(async ({ judgeId, ...contribution }) => ({ ...contribution, judge: (await context.loaders.judge.load(judgeId))! })),
    );
    return { ...explained, contributions };
  }
}
