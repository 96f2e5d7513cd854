import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { ExhibitionsContext } from "../context";
import { ExhibitedWork } from "../exhibited-work/exhibited-work.entity";

const VISITOR_ID_DESCRIPTION =
  "The visitor's stable anonymous id (8 to 128 letters, digits, . _ : -), e.g. a UUID kept in a cookie; default: the x-visitor-id header. Missing: BAD_USER_INPUT.";

@Resolver()
export class WorkLikeResolver {
  @Mutation(() => ExhibitedWork, {
    description:
      "Public (no token needed): likes a work in a published exhibition, once per visitor; repeating it changes nothing. At most 300 likes and unlikes per client address per hour. " +
      "Errors: RATE_LIMITED (extensions.retryAfterSeconds), BAD_USER_INPUT (visitor id), NOT_FOUND, CONFLICT (exhibition not published).",
  })
  likeWork(
    @Arg("workId", () => ID, { description: "The ExhibitedWork id." }) workId: string,
    @Arg("visitorId", () => String, { nullable: true, description: VISITOR_ID_DESCRIPTION }) visitorId: string | null,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.likes.like(workId, visitorId);
  }

  @Mutation(() => ExhibitedWork, {
    description: "Public: takes the visitor's like back, if any; the count never goes below zero. Counts towards the same hourly limit. Errors: as likeWork.",
  })
  unlikeWork(
    @Arg("workId", () => ID, { description: "The ExhibitedWork id." }) workId: string,
    @Arg("visitorId", () => String, { nullable: true, description: VISITOR_ID_DESCRIPTION }) visitorId: string | null,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.likes.unlike(workId, visitorId);
  }

  @Mutation(() => ExhibitedWork, {
    description:
      "Public: counts one view of a work in a published exhibition. At most 3000 views per client address per hour. Errors: RATE_LIMITED, NOT_FOUND, CONFLICT.",
  })
  recordWorkView(@Arg("workId", () => ID, { description: "The ExhibitedWork id." }) workId: string, @Ctx() context: ExhibitionsContext) {
    return context.likes.recordView(workId);
  }
}
