import { Field, Float, Int, ObjectType } from "type-graphql";
import { JudgingRound } from "../round/round.entity";

@ObjectType({ description: "How often the judge gave one value." })
export class ScoreBucket {
  @Field(() => Float, { description: "A score value (SCORE rounds; the weighted score, 3 decimals) or 1/0 for yes/no votes (SHORTLIST rounds)." })
  value!: number;

  @Field(() => Int, { description: "How many of the judge's scores have this value." })
  count!: number;
}

@ObjectType({ description: "A judge's own progress in a round and the distribution of their own scores; never other judges' scores." })
export class MyJudgingProgress {
  @Field(() => JudgingRound, { description: "The round." })
  round!: JudgingRound;

  @Field(() => Int, { description: "Entries assigned (recusals not counted)." })
  assigned!: number;

  @Field(() => Int, { description: "Assigned entries the judge has scored or voted on." })
  scored!: number;

  @Field(() => Int, { description: "Assigned entries still to score or vote on." })
  pending!: number;

  @Field(() => Int, { description: "Entries the judge recused from." })
  recused!: number;

  @Field(() => Float, { nullable: true, description: "Mean of the judge's own scores (SCORE rounds) or share of yes votes (SHORTLIST rounds); null before the first." })
  meanScore!: number | null;

  @Field(() => [ScoreBucket], { description: "The judge's own scores by value, lowest first." })
  distribution!: ScoreBucket[];
}

@ObjectType({ description: "A problem the score-log check found." })
export class ScoreLogProblem {
  @Field(() => Int, { nullable: true, description: "The record concerned, when there is one." })
  sequence!: number | null;

  @Field({ description: "What is wrong, in words an organiser can act on." })
  problem!: string;
}

@ObjectType({ description: "The result of checking a round's score log: hashes, links, gaps, the head kept on the round, and current scores against the log." })
export class ScoreLogVerification {
  @Field(() => JudgingRound, { description: "The round checked." })
  round!: JudgingRound;

  @Field({ description: "True when no problem was found." })
  valid!: boolean;

  @Field(() => Int, { description: "Records checked." })
  eventsChecked!: number;

  @Field(() => String, { nullable: true, description: "Hash of the last record (the chain's head); null for an empty log." })
  headHash!: string | null;

  @Field(() => [ScoreLogProblem], { description: "Every problem found; empty when valid." })
  problems!: ScoreLogProblem[];
}
