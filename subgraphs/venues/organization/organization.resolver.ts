import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, PageArguments } from "../../../lib/pagination";
import type { VenuesContext } from "../context";
import { Venue } from "../venue/venue.entity";
import { Organization } from "./organization.entity";
import { CreateOrganizationInput, UpdateOrganizationInput } from "./organization.inputs";

export const OrganizationConnection = ConnectionType("Organization", Organization);

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => OrganizationConnection, { description: "Partner organisations, by name. Public." })
  organizations(@Args() page: PageArguments, @Ctx() context: VenuesContext) {
    return context.organizations.list(page);
  }

  @Query(() => Organization, { nullable: true, description: "One organisation by id; null when there is none. Public." })
  organization(
    @Arg("id", () => ID, { description: "The organisation's id (Organization.id). An unknown id returns null." }) id: string,
    @Ctx() context: VenuesContext,
  ) {
    return context.organizations.get(id);
  }

  @Mutation(() => Organization, { description: "Organiser only. Errors: BAD_USER_INPUT, FORBIDDEN." })
  createOrganization(
    @Arg("input", { description: "The new organisation's name, kind, country and website." }) input: CreateOrganizationInput,
    @Ctx() context: VenuesContext,
  ) {
    return context.organizations.create(input);
  }

  @Mutation(() => Organization, { description: "Organiser only. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN." })
  updateOrganization(
    @Arg("input", { description: "The organisation's id and the fields to change." }) input: UpdateOrganizationInput,
    @Ctx() context: VenuesContext,
  ) {
    return context.organizations.update(input);
  }

  @FieldResolver(() => [Venue], { description: "The branch venues and stations this organisation runs, by code." })
  venues(@Root() organization: Organization, @Ctx() context: VenuesContext) {
    return context.loaders.venuesByOrganization.load(organization.id);
  }
}
