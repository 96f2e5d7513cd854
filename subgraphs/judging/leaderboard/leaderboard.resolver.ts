import { Arg, Args, Ctx, ID, Query, Resolver } from "type-graphql";
import { PageArguments } from "../../../lib/pagination";
import { ThemeCode } from "../../../lib/themes";
import type { JudgingContext } from "../context";
import { LeaderboardConnection, LeaderboardRow } from "./leaderboard.types";

@Resolver(() => LeaderboardRow)
export class LeaderboardResolver {
  @Query(() => LeaderboardConnection, {
    description: [
      "A round's leaderboard, best first (organisers only; others FORBIDDEN). Errors: NOT_FOUND, BAD_USER_INPUT.",
      "Normalisation (SCORE rounds): each judge's scores in the round become z-scores (score − the judge's mean) / the judge's population standard deviation (0 when that is 0); an entry's mean z-score is rescaled to the scale as mean + z × standard deviation of all the round's scores, clamped to the scale.",
      "Ranking and tie-break: normalizedScore, then meanScore, then judgeCount (higher first), then entry id (ascending); entries without scores last. SHORTLIST rounds: yes votes, then share of yes votes, then judgeCount, then entry id.",
      "Acceptance: SCORE rounds accept the first floor(entries of the theme × acceptanceCapPercent / 100) entries of each theme (themeRank) that have a score; SHORTLIST rounds accept entries with at least passVotes yes votes.",
      "One SQL statement per page, whatever the number of entries.",
    ].join("\n\n"),
  })
  leaderboard(
    @Arg("roundId", () => ID, { description: "The round to rank (usually CLOSED; an OPEN round gives a provisional view)." }) roundId: string,
    @Arg("theme", () => ThemeCode, { nullable: true, description: "Rank within this theme only." }) theme: ThemeCode | null,
    @Arg("divisionId", () => ID, { nullable: true, description: "Rank within this regional division only (by the entry's venue when the round was set up)." }) divisionId: string | null,
    @Args() page: PageArguments,
    @Ctx() context: JudgingContext,
  ) {
    return context.leaderboards.leaderboard(roundId, theme, divisionId, page);
  }
}
