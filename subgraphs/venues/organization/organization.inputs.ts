import { Field, ID, InputType } from "type-graphql";
import { OrganizationKind } from "./organization.entity";

@InputType({ description: "A new partner organisation (organiser only)." })
export class CreateOrganizationInput {
  @Field({ description: "Published name, at most 200 characters." })
  name!: string;

  @Field(() => OrganizationKind, { description: "What kind of body the organisation is." })
  kind!: OrganizationKind;

  @Field({ description: "ISO 3166-1 alpha-2 country code." })
  country!: string;

  @Field(() => String, { nullable: true, description: "Public web site (https)." })
  website?: string | null;
}

@InputType({ description: "Changes to an organisation (organiser only); omitted fields stay as they are." })
export class UpdateOrganizationInput {
  @Field(() => ID, { description: "The organisation to change (Organization.id). NOT_FOUND when unknown." })
  id!: string;

  @Field(() => String, { nullable: true, description: "A new name, at most 200 characters." })
  name?: string | null;

  @Field(() => OrganizationKind, { nullable: true, description: "A new kind of body." })
  kind?: OrganizationKind | null;

  @Field(() => String, { nullable: true, description: 'A new ISO 3166-1 alpha-2 country code, e.g. "PT".' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: "A new http(s) website URL, or null to remove it." })
  website?: string | null;
}
