import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../../lib/pagination";
import { ThemeCode } from "../../../lib/themes";
import { DivisionReference } from "../division/division.type";
import { EntryReference } from "../entry/entry.type";
import { Judge } from "../judge/judge.entity";
import type { JudgingRound } from "../round/round.entity";
import { ZScoreBasis } from "./leaderboard.ranking";

registerEnumType(ZScoreBasis, {
  name: "ZScoreBasis",
  description: "Whose mean and spread turned a raw score into a z-score.",
  valuesConfig: {
    JUDGE: { description: "The judge's own mean and population standard deviation in the round (the judge gave at least 5 scores)." },
    ROUND: {
      description:
        "The round's mean and standard deviation: the judge gave fewer than 5 scores, too few to estimate their own, so the raw score counts at face value.",
    },
  },
});

@ObjectType({ description: "One judge's part in an entry's normalised score (organisers only; judges never see other judges' scores)." })
export class ScoreContribution {
  @Field(() => Judge, { description: "The judge." })
  judge!: Judge;

  @Field(() => Float, { description: "The judge's raw score for the entry (weighted mean of the criteria, 3 decimals)." })
  score!: number;

  @Field(() => Int, { description: "How many scores the judge gave in the round." })
  judgeScoreCount!: number;

  @Field(() => Float, { description: "The mean of the judge's scores in the round." })
  judgeMean!: number;

  @Field(() => Float, { description: "The population standard deviation of the judge's scores in the round, rounded to 9 decimals." })
  judgeSpread!: number;

  @Field(() => ZScoreBasis, {
    description: "JUDGE: z = (score − judgeMean) / judgeSpread; ROUND: z = (score − roundMean) / roundSpread (fewer than 5 scores).",
  })
  basis!: ZScoreBasis;

  @Field(() => Float, { description: "The z-score, rounded exactly to 9 decimals (0 when the spread used is 0)." })
  zScore!: number;
}

@ObjectType({
  description:
    "How a leaderboard row's normalisedScore was made, to answer an appeal from the API (organisers only): each judge's raw score with that judge's mean, spread and count and the z-score, then the rescaling normalizedScore = clamp(roundMean + meanZScore × roundSpread, scale), rounded to 6 decimals.",
})
export class RankExplanation {
  @Field(() => [ScoreContribution], { description: "One per score the entry has, by judge id." })
  contributions!: ScoreContribution[];

  @Field(() => Float, { description: "The mean of the contributions' z-scores (the exact mean of the 9-decimal z-scores, shown rounded to 9 decimals)." })
  meanZScore!: number;

  @Field(() => Float, { description: "The mean of every score in the round." })
  roundMean!: number;

  @Field(() => Float, { description: "The population standard deviation of every score in the round, rounded to 9 decimals." })
  roundSpread!: number;

  @Field(() => Float, { description: "roundMean + meanZScore × roundSpread before clamping to the scale (6 decimals)." })
  rescaled!: number;

  @Field(() => Float, { description: "The normalised score: rescaled clamped to the scale, 6 decimals; equals the row's normalizedScore." })
  normalizedScore!: number;
}

@ObjectType({
  description: "One entry of a round's leaderboard (organisers only). Ranking, tie-break, normalisation and acceptance are documented on Query.leaderboard.",
})
export class LeaderboardRow {
  /** The round ranked (not a field: for explanations). */
  round!: JudgingRound;

  @Field(() => Int, { description: "Position in this leaderboard (its theme/division filter), from 1; unique, ties broken by the documented rule." })
  rank!: number;

  @Field(() => EntryReference, { description: "The entry (organisers see everything about it)." })
  entry!: EntryReference;

  @Field(() => Float, {
    nullable: true,
    description: "SCORE rounds: mean of the raw scores; SHORTLIST rounds: share of yes votes (0 to 1). Null without any score.",
  })
  meanScore!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "SCORE rounds: the mean per-judge z-score rescaled to the round's scale. Null without any score and in SHORTLIST rounds.",
  })
  normalizedScore!: number | null;

  @Field(() => Int, { description: "How many judges' scores or votes the entry has." })
  judgeCount!: number;

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
