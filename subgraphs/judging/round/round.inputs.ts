import { Field, Float, ID, InputType, Int } from "type-graphql";
import { ThemeCode } from "../../../lib/themes";
import { RoundKind } from "./round.entity";

@InputType({ description: "The scale of a SCORE round. Default 1 to 10 in steps of 0.5." })
export class ScoreScaleInput {
  @Field(() => Float, { description: "Lowest value, -1000 to 1000, at most 3 decimals." })
  min!: number;

  @Field(() => Float, { description: "Highest value, above min; (max - min) must be a whole number of steps, at most 1000 steps." })
  max!: number;

  @Field(() => Float, { description: "Increment, > 0, at most 3 decimals, e.g. 0.5 for half points." })
  step!: number;
}

@InputType({ description: 'A weighted criterion of a SCORE round, e.g. { code: "impact", name: "Impact", weight: 2 }.' })
export class RoundCriterionInput {
  @Field({ description: "1 to 32 lower-case letters, digits and underscores, starting with a letter; unique in the round." })
  code!: string;

  @Field({ description: "What judges see, at most 100 characters." })
  name!: string;

  @Field(() => Float, { nullable: true, description: "Relative weight, > 0 and at most 1000 (default 1)." })
  weight?: number | null;
}

@InputType({ description: "A new judging round (organiser only). It starts as DRAFT." })
export class CreateRoundInput {
  @Field({ description: "At most 200 characters." })
  name!: string;

  @Field(() => RoundKind, { description: "SHORTLIST (pass/fail votes) or SCORE (scale and criteria)." })
  kind!: RoundKind;

  @Field(() => ThemeCode, { nullable: true, description: "Cover one theme; omit for all themes." })
  theme?: ThemeCode | null;

  @Field(() => ID, { nullable: true, description: "Cover the entries of one regional division's venues; omit for all." })
  divisionId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "A later round: its entries are those that passed this earlier round (SHORTLIST: passed; SCORE: accepted under the cap). It must be CLOSED before assignJudges.",
  })
  previousRoundId?: string | null;

  @Field(() => Int, { nullable: true, description: "Judges per entry, 1 to 25 (default 3)." })
  quorum?: number | null;

  @Field(() => Int, { nullable: true, description: "SHORTLIST only: yes votes needed to pass, 1 to quorum (default: a majority of the quorum)." })
  passVotes?: number | null;

  @Field(() => ScoreScaleInput, { nullable: true, description: "SCORE only (default 1 to 10 in steps of 0.5)." })
  scale?: ScoreScaleInput | null;

  @Field(() => [RoundCriterionInput], { nullable: true, description: 'SCORE only: 1 to 12 weighted criteria (default one criterion, "overall").' })
  criteria?: RoundCriterionInput[] | null;

  @Field(() => Float, {
    nullable: true,
    description: "Share of a theme's entries that can be accepted, percent, > 0 and ≤ 100 (default 30, as in FIAP salons).",
  })
  acceptanceCapPercent?: number | null;
}

@InputType({
  description:
    "Changes to a round (organiser only). Name and acceptance cap can change until awards are published; the rest only while DRAFT (run assignJudges again after changing the quorum).",
})
export class UpdateRoundInput {
  @Field(() => ID, { description: "The round to change." })
  id!: string;

  @Field(() => String, { nullable: true, description: "A new name, at most 200 characters." })
  name?: string | null;

  @Field(() => Int, { nullable: true, description: "DRAFT only: judges per entry, 1 to 25." })
  quorum?: number | null;

  @Field(() => Int, { nullable: true, description: "DRAFT SHORTLIST rounds only: yes votes needed to pass, 1 to quorum." })
  passVotes?: number | null;

  @Field(() => ScoreScaleInput, { nullable: true, description: "DRAFT SCORE rounds only: a new scale." })
  scale?: ScoreScaleInput | null;

  @Field(() => [RoundCriterionInput], { nullable: true, description: "DRAFT SCORE rounds only: new criteria (1 to 12)." })
  criteria?: RoundCriterionInput[] | null;

  @Field(() => Float, { nullable: true, description: "Percent of a theme's entries accepted, > 0 and ≤ 100; until awards of the round are published." })
  acceptanceCapPercent?: number | null;
}
