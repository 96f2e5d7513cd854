import { Field, Float, ID, InputType } from "type-graphql";

@InputType({ description: "A value for one criterion of a SCORE round." })
export class CriterionScoreInput {
  @Field({ description: "One of the round's criteria codes." })
  code!: string;

  @Field(() => Float, { description: "On the round's scale and step (e.g. 1 to 10 in steps of 0.5)." })
  value!: number;
}

@InputType({
  description:
    "A judge's score or vote on an assigned entry. SCORE rounds: give criteria (every criterion of the round once) or, for a round with a single criterion, value. SHORTLIST rounds: give pass.",
})
export class SubmitScoreInput {
  @Field(() => ID, { description: "The open round." })
  roundId!: string;

  @Field(() => ID, { description: "An entry assigned to the caller in the round." })
  entryId!: string;

  @Field(() => Float, { nullable: true, description: "SCORE rounds with one criterion: the score, on the round's scale and step." })
  value?: number | null;

  @Field(() => [CriterionScoreInput], { nullable: true, description: "SCORE rounds: one value per criterion; the score is their weighted mean." })
  criteria?: CriterionScoreInput[] | null;

  @Field(() => Boolean, { nullable: true, description: "SHORTLIST rounds: true to pass the entry, false to fail it." })
  pass?: boolean | null;
}
