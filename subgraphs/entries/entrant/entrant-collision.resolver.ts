import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { PageArguments } from "../../../lib/pagination";
import type { EntriesContext } from "../context";
import { EntrantCollision, EntrantCollisionConnection } from "./entrant-collision.types";
import { EntrantCollisionResolution } from "./entrant.store";

@Resolver(() => EntrantCollision)
export class EntrantCollisionResolver {
  @Query(() => EntrantCollisionConnection, {
    description:
      "Organisers only (others FORBIDDEN): e-mail addresses entered by more than one organisation, by address, with each organisation's own record. Unresolved ones count towards the per-theme limit competition-wide.",
  })
  entrantCollisions(
    @Arg("unresolvedOnly", {
      defaultValue: false,
      description: "Only addresses no organiser has resolved yet, or entered by another organisation since they were resolved.",
    })
    unresolvedOnly: boolean,
    @Args() page: PageArguments,
    @Ctx() context: EntriesContext,
  ) {
    return context.entrantCollisions.list(unresolvedOnly, page);
  }

  @Mutation(() => EntrantCollision, {
    description:
      "Organisers only: records whether an address entered by several organisations is one photographer (SAME_PERSON: the per-theme limit counts all their entries) or different people (DIFFERENT_PEOPLE: each organisation's entrant counts alone). Records stay separate either way. Errors: FORBIDDEN, NOT_FOUND (not a collision), BAD_USER_INPUT.",
  })
  resolveEntrantCollision(
    @Arg("email", { description: "The shared e-mail address (EntrantCollision.email)." }) email: string,
    @Arg("resolution", () => EntrantCollisionResolution, { description: "SAME_PERSON or DIFFERENT_PEOPLE." }) resolution: EntrantCollisionResolution,
    @Arg("note", () => String, { nullable: true, description: "Why, for other organisers; at most 2000 characters." }) note: string | null,
    @Ctx() context: EntriesContext,
  ) {
    return context.entrantCollisions.resolve(email, resolution, note);
  }
}
