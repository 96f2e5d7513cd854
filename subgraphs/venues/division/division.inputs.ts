import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "A new regional division (organiser only)." })
export class CreateDivisionInput {
  @Field({ description: 'Unique code, 2 to 32 upper-case letters, digits and dashes, e.g. "PT".' })
  code!: string;

  @Field({ description: 'Display name, e.g. "Portugal Division", at most 200 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2 country the division covers." })
  country?: string | null;
}

@InputType({ description: "Changes to a division (organiser only)." })
export class UpdateDivisionInput {
  @Field(() => ID, { description: "The division to change (Division.id). NOT_FOUND when unknown." })
  id!: string;

  @Field(() => String, { nullable: true, description: "A new display name, at most 200 characters." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "A new ISO 3166-1 alpha-2 country code, or null for a division spanning several countries." })
  country?: string | null;
}
