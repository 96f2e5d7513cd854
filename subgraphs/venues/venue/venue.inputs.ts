import { Field, ID, InputType } from "type-graphql";
import { Region, VenueKind } from "./venue.entity";

@InputType({ description: "Narrows the venue list; all given conditions must hold." })
export class VenueFilter {
  @Field(() => Region, { nullable: true, description: "Only DOMESTIC or only OVERSEAS venues." })
  region?: Region | null;

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2 country code." })
  country?: string | null;

  @Field(() => ID, { nullable: true, description: "Only the venues run by this organisation (Organization.id)." })
  organizationId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only the venues of this regional division (Division.id)." })
  divisionId?: string | null;

  @Field(() => VenueKind, { nullable: true, description: "Only branch venues or only stations." })
  kind?: VenueKind | null;
}

@InputType({ description: "A new branch venue or station (organiser only)." })
export class CreateVenueInput {
  @Field({ description: 'Unique code: 2 to 32 upper-case letters, digits and dashes, e.g. "PT-LIS-EYE".' })
  code!: string;

  @Field({ description: "Display name, at most 200 characters." })
  name!: string;

  @Field(() => VenueKind, { description: "BRANCH_VENUE or STATION." })
  kind!: VenueKind;

  @Field({ description: "ISO 3166-1 alpha-2 country code; CN makes the venue DOMESTIC, anything else OVERSEAS." })
  country!: string;

  @Field(() => String, { nullable: true, description: "The city, at most 200 characters; optional." })
  city?: string | null;

  @Field(() => ID, { description: "The partner organisation that runs the venue (Organization.id). NOT_FOUND when unknown." })
  organizationId!: string;

  @Field(() => ID, { nullable: true, description: "The regional division the venue belongs to (Division.id), if any. NOT_FOUND when unknown." })
  divisionId?: string | null;
}

@InputType({ description: "Changes to a venue (organiser only); omitted fields stay as they are, divisionId null removes the division." })
export class UpdateVenueInput {
  @Field(() => ID, { description: "The venue to change (Venue.id). NOT_FOUND when unknown." })
  id!: string;

  @Field(() => String, { nullable: true, description: "A new display name, at most 200 characters." })
  name?: string | null;

  @Field(() => VenueKind, { nullable: true, description: "A new kind: BRANCH_VENUE or STATION." })
  kind?: VenueKind | null;

  @Field(() => String, { nullable: true, description: "A new city, at most 200 characters." })
  city?: string | null;

  @Field(() => ID, { nullable: true, description: "Moves the venue to another organisation (Organization.id)." })
  organizationId?: string | null;

  @Field(() => ID, { nullable: true, description: "Moves the venue to this division (Division.id); null removes it from its division." })
  divisionId?: string | null;
}
