import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "A new regional division (organiser only)." })
export class CreateDivisionInput {
  @Field({ description: "Unique code, 2 to 32 upper-case letters, digits and dashes, e.g. \"PT\"." })
  code!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2 country the division covers." })
  country?: string | null;
}

@InputType({ description: "Changes to a division (organiser only)." })
export class UpdateDivisionInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  country?: string | null;
}
