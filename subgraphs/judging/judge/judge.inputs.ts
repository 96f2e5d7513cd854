import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "A new judge (organiser only). Affiliations exclude the judge from entries of those organisations and venues." })
export class CreateJudgeInput {
  @Field({ description: "The judge's name, at most 200 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: "Contact e-mail, seen by organisers only." })
  email?: string | null;

  @Field(() => [ID], {
    nullable: true,
    description: "Organisations the judge is affiliated with: none of their venues' entries is assigned to the judge. At most 50.",
  })
  organizationIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Venues the judge is affiliated with: none of their entries is assigned to the judge. At most 100." })
  venueIds?: string[] | null;
}

@InputType({ description: "Changes to a judge (organiser only); omitted fields stay as they are, a given list replaces the old one." })
export class UpdateJudgeInput {
  @Field(() => ID, { description: "The judge to change." })
  id!: string;

  @Field(() => String, { nullable: true, description: "A new name, at most 200 characters." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "A new contact e-mail; null removes it." })
  email?: string | null;

  @Field(() => [ID], { nullable: true, description: "Replaces the affiliated organisations (at most 50)." })
  organizationIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Replaces the affiliated venues (at most 100)." })
  venueIds?: string[] | null;
}
