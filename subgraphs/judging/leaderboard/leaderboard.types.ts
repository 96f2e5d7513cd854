import { Field, Float, Int, ObjectType } from "type-graphql";
import { ConnectionType } from "../../../lib/pagination";
import { ThemeCode } from "../../../lib/themes";
import { DivisionReference } from "../division/division.type";
import { EntryReference } from "../entry/entry.type";

@ObjectType({
  description:
    "One entry of a round's leaderboard (organisers only). Ranking, tie-break, normalisation and acceptance are documented on Query.leaderboard.",
})
export class LeaderboardRow {
  @Field(() => Int, { description: "Position in this leaderboard (its theme/division filter), from 1; unique, ties broken by the documented rule." })
  rank!: number;

  @Field(() => EntryReference, { description: "The entry (organisers see everything about it)." })
  entry!: EntryReference;

  @Field(() => Float, { nullable: true, description: "SCORE rounds: mean of the raw scores; SHORTLIST rounds: share of yes votes (0 to 1). Null without any score." })
  meanScore!: number | null;

  @Field(() => Float, { nullable: true, description: "SCORE rounds: the mean per-judge z-score rescaled to the round's scale. Null without any score and in SHORTLIST rounds." })
  normalizedScore!: number | null;

  @Field(() => Int, { description: "How many judges' scores or votes the entry has." })
  judgeCount!: number;

  @Field(() => Int, { description: "How many judges are (still) assigned to the entry, recusals not counted." })
  assignedJudgeCount!: number;

  @Field(() => Int, { nullable: true, description: "SHORTLIST rounds: yes votes; null in SCORE rounds." })
  yesVotes!: number | null;

  @Field({ description: "SCORE rounds: within its theme's acceptance cap; SHORTLIST rounds: passed (at least passVotes yes votes)." })
  accepted!: boolean;

  @Field(() => ThemeCode, { description: "The entry's theme." })
  theme!: ThemeCode;

  @Field(() => Int, { description: "Position among the round's entries of the same theme (the rank the acceptance cap applies to)." })
  themeRank!: number;

  @Field(() => DivisionReference, { nullable: true, description: "The regional division of the entry's venue when the round was set up; null when none." })
  division!: DivisionReference | null;
}

export const LeaderboardConnection = ConnectionType("Leaderboard", LeaderboardRow, "A page of a leaderboard, best first.");
