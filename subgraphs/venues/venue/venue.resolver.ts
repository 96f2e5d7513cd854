import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, PageArguments } from "../../../lib/pagination";
import type { VenuesContext } from "../context";
import { Division } from "../division/division.entity";
import { Organization } from "../organization/organization.entity";
import { Venue } from "./venue.entity";
import { CreateVenueInput, UpdateVenueInput, VenueFilter } from "./venue.inputs";

export const VenueConnection = ConnectionType("Venue", Venue);

@Resolver(() => Venue)
export class VenueResolver {
  @Query(() => VenueConnection, { description: "Branch venues and stations, by code. Public. Errors: BAD_USER_INPUT for a bad filter or page." })
  venues(
    @Arg("filter", () => VenueFilter, {
      nullable: true,
      description: "Optional conditions (region, country, organisation, division, kind); omit to list every venue. A malformed id or country: BAD_USER_INPUT.",
    })
    filter: VenueFilter | null,
    @Args() page: PageArguments,
    @Ctx() context: VenuesContext,
  ) {
    return context.venues.list(filter, page);
  }

  @Query(() => Venue, { nullable: true, description: "One venue by id or by code (pass exactly one); null when there is none. Public." })
  venue(
    @Arg("id", () => ID, { nullable: true, description: "The venue's id (Venue.id). Pass either id or code, not both (BAD_USER_INPUT)." }) id: string | null,
    @Arg("code", () => String, { nullable: true, description: 'The venue\'s code, e.g. "PT-LIS-EYE". Pass either id or code, not both (BAD_USER_INPUT).' })
    code: string | null,
    @Ctx() context: VenuesContext,
  ) {
    return context.venues.get(id, code);
  }

  @Mutation(() => Venue, { description: "Organiser only. Errors: BAD_USER_INPUT, NOT_FOUND (organisation, division), CONFLICT (code taken), FORBIDDEN." })
  createVenue(
    @Arg("input", { description: "The new venue's code, name, kind, country, city, organisation and division." }) input: CreateVenueInput,
    @Ctx() context: VenuesContext,
  ) {
    return context.venues.create(input);
  }

  @Mutation(() => Venue, { description: "Organiser only. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN." })
  updateVenue(@Arg("input", { description: "The venue's id and the fields to change." }) input: UpdateVenueInput, @Ctx() context: VenuesContext) {
    return context.venues.update(input);
  }

  @FieldResolver(() => Organization, { description: "The partner organisation that runs this venue." })
  async organization(@Root() venue: Venue, @Ctx() context: VenuesContext) {
    return context.loaders.organization.load(venue.organizationId);
  }

  @FieldResolver(() => Division, { nullable: true, description: "The regional division the venue belongs to, if any." })
  async division(@Root() venue: Venue, @Ctx() context: VenuesContext) {
    return venue.divisionId ? context.loaders.division.load(venue.divisionId) : null;
  }
}
