import { Field, ID, InputType, Int } from "type-graphql";
import { ThemeCode } from "../../../lib/themes";
import { AwardTier } from "./award.entity";

@InputType({ description: "How many awards of one tier a scope gets." })
export class AwardTierCountInput {
  @Field(() => AwardTier, { description: "The tier; each at most once." })
  tier!: AwardTier;

  @Field(() => Int, { description: "0 to 100." })
  count!: number;
}

@InputType({
  description:
    "Proposes a scope's awards from a closed SCORE round's leaderboard (organiser only): the best accepted entries of the theme (within the division, if given) get the tiers in order GOLD, SILVER, BRONZE, HONOURABLE_MENTION. Replaces the scope's unpublished awards.",
})
export class ProposeAwardsInput {
  @Field(() => ID, { description: "A closed SCORE round covering the theme." })
  roundId!: string;

  @Field(() => ThemeCode, { description: "The theme of the scope." })
  theme!: ThemeCode;

  @Field(() => ID, {
    nullable: true,
    description: "A regional division (e.g. the Portugal Division) for its own awards; omit for the theme's awards across divisions.",
  })
  divisionId?: string | null;

  @Field(() => [AwardTierCountInput], {
    nullable: true,
    description: "Counts per tier; default GOLD 1, SILVER 1, BRONZE 1, HONOURABLE_MENTION 3. Tiers not listed get none.",
  })
  tiers?: AwardTierCountInput[] | null;
}

@InputType({ description: "Adds one award by hand to an unpublished scope (organiser only); the entry must be accepted in the round." })
export class AddAwardInput {
  @Field(() => ID, { description: "The closed SCORE round the entry was accepted in." })
  roundId!: string;

  @Field(() => ID, { description: "An entry accepted in the round; its theme is the scope's theme." })
  entryId!: string;

  @Field(() => AwardTier, { description: "The tier; the award goes last within it." })
  tier!: AwardTier;

  @Field(() => ID, { nullable: true, description: "The division scope; the entry's venue must be in it. Omit for the theme scope." })
  divisionId?: string | null;
}

@InputType({ description: "Changes an award of an unpublished scope (organiser only)." })
export class UpdateAwardInput {
  @Field(() => ID, { description: "The award to change." })
  id!: string;

  @Field(() => AwardTier, { nullable: true, description: "A new tier." })
  tier?: AwardTier | null;

  @Field(() => Int, { nullable: true, description: "Order within the tier, 1 to 1000." })
  position?: number | null;
}
