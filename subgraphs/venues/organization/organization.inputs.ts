import { Field, ID, InputType } from "type-graphql";
import { OrganizationKind } from "./organization.entity";

@InputType({ description: "A new partner organisation (organiser only)." })
export class CreateOrganizationInput {
  @Field({ description: "Published name, at most 200 characters." })
  name!: string;

  @Field(() => OrganizationKind)
  kind!: OrganizationKind;

  @Field({ description: "ISO 3166-1 alpha-2 country code." })
  country!: string;

  @Field(() => String, { nullable: true, description: "Public web site (https)." })
  website?: string | null;
}

@InputType({ description: "Changes to an organisation (organiser only); omitted fields stay as they are." })
export class UpdateOrganizationInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => OrganizationKind, { nullable: true })
  kind?: OrganizationKind | null;

  @Field(() => String, { nullable: true })
  country?: string | null;

  @Field(() => String, { nullable: true })
  website?: string | null;
}
