import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { VenuesContext } from "../context";
import { Venue } from "../venue/venue.entity";
import { Division } from "./division.entity";
import { CreateDivisionInput, UpdateDivisionInput } from "./division.inputs";

@Resolver(() => Division)
export class DivisionResolver {
  @Query(() => [Division], { description: "All regional divisions, by code. Public." })
  divisions(@Ctx() context: VenuesContext) {
    return context.divisions.list();
  }

  @Mutation(() => Division, { description: "Organiser only. Errors: BAD_USER_INPUT, CONFLICT (code taken), FORBIDDEN." })
  createDivision(@Arg("input", { description: "The new division's code, name and country." }) input: CreateDivisionInput, @Ctx() context: VenuesContext) {
    return context.divisions.create(input);
  }

  @Mutation(() => Division, { description: "Organiser only. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN." })
  updateDivision(@Arg("input", { description: "The division's id and the fields to change." }) input: UpdateDivisionInput, @Ctx() context: VenuesContext) {
    return context.divisions.update(input);
  }

  @FieldResolver(() => [Venue], { description: "The venues in this division, by code." })
  venues(@Root() division: Division, @Ctx() context: VenuesContext) {
    return context.loaders.venuesByDivision.load(division.id);
  }
}
