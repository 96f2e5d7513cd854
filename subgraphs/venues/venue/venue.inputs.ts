import { Field, ID, InputType } from "type-graphql";
import { Region, VenueKind } from "./venue.entity";

@InputType({ description: "Narrows the venue list; all given conditions must hold." })
export class VenueFilter {
  @Field(() => Region, { nullable: true })
  region?: Region | null;

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2 country code." })
  country?: string | null;

  @Field(() => ID, { nullable: true })
  organizationId?: string | null;

  @Field(() => ID, { nullable: true })
  divisionId?: string | null;

  @Field(() => VenueKind, { nullable: true })
  kind?: VenueKind | null;
}

@InputType({ description: "A new branch venue or station (organiser only)." })
export class CreateVenueInput {
  @Field({ description: "Unique code: 2 to 32 upper-case letters, digits and dashes, e.g. \"PT-LIS-EYE\"." })
  code!: string;

  @Field()
  name!: string;

  @Field(() => VenueKind)
  kind!: VenueKind;

  @Field({ description: "ISO 3166-1 alpha-2 country code; CN makes the venue DOMESTIC, anything else OVERSEAS." })
  country!: string;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID, { nullable: true })
  divisionId?: string | null;
}

@InputType({ description: "Changes to a venue (organiser only); omitted fields stay as they are, divisionId null removes the division." })
export class UpdateVenueInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => VenueKind, { nullable: true })
  kind?: VenueKind | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => ID, { nullable: true })
  organizationId?: string | null;

  @Field(() => ID, { nullable: true })
  divisionId?: string | null;
}
