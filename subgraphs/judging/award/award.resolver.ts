import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, PageArguments } from "../../../lib/pagination";
import { ThemeCode } from "../../../lib/themes";
import type { JudgingContext } from "../context";
import { DivisionReference } from "../division/division.type";
import { EntryReference } from "../entry/entry.type";
import { JudgingRound } from "../round/round.entity";
import { Award } from "./award.entity";
import { AddAwardInput, ProposeAwardsInput, UpdateAwardInput } from "./award.inputs";

export const AwardConnection = ConnectionType("Award", Award, "A page of awards by theme, division (theme-wide first), tier and position.");

@Resolver(() => Award)
export class AwardResolver {
  @Query(() => AwardConnection, {
    description:
      "Published awards, for everyone (no token needed); partners find their venues' results with venueId. Organisers may add includeUnpublished: true (others: FORBIDDEN). Errors: BAD_USER_INPUT.",
  })
  awards(
    @Arg("theme", () => ThemeCode, { nullable: true, description: "Only this theme's awards." }) theme: ThemeCode | null,
    @Arg("divisionId", () => ID, { nullable: true, description: "Only this division's own awards." }) divisionId: string | null,
    @Arg("venueId", () => ID, { nullable: true, description: "Only awards to entries that came through this venue." }) venueId: string | null,
    @Arg("includeUnpublished", () => Boolean, { nullable: true, description: "Organisers only: also proposals not yet published." })
    includeUnpublished: boolean | null,
    @Args() page: PageArguments,
    @Ctx() context: JudgingContext,
  ) {
    return context.awards.list({ theme, divisionId, venueId, includeUnpublished }, page);
  }

  @Query(() => Award, { nullable: true, description: "One award: published ones for everyone, unpublished ones for organisers; null otherwise." })
  award(@Arg("id", () => ID, { description: "The award's id." }) id: string, @Ctx() context: JudgingContext) {
    return context.awards.get(id);
  }

  @Mutation(() => [Award], {
    description:
      "Organiser only: proposes a scope's awards from a closed SCORE round (see ProposeAwardsInput). Errors: BAD_USER_INPUT, CONFLICT (round not closed; scope published), NOT_FOUND, FORBIDDEN.",
  })
  proposeAwards(@Arg("input", { description: "The round, scope and tier counts." }) input: ProposeAwardsInput, @Ctx() context: JudgingContext) {
    return context.awards.propose(input);
  }

  @Mutation(() => Award, {
    description:
      "Organiser only. Errors: BAD_USER_INPUT (entry not in the round or not accepted), CONFLICT (one award per entry per scope; scope published), NOT_FOUND, FORBIDDEN.",
  })
  addAward(@Arg("input", { description: "The round, entry, tier and scope." }) input: AddAwardInput, @Ctx() context: JudgingContext) {
    return context.awards.add(input);
  }

  @Mutation(() => Award, {
    description:
      "Organiser only: changes the tier or position of an unpublished award. Errors: BAD_USER_INPUT, CONFLICT (scope published), NOT_FOUND, FORBIDDEN.",
  })
  updateAward(@Arg("input", { description: "The award and its new tier or position." }) input: UpdateAwardInput, @Ctx() context: JudgingContext) {
    return context.awards.update(input);
  }

  @Mutation(() => Boolean, { description: "Organiser only: removes an unpublished award. Errors: CONFLICT (scope published), NOT_FOUND, FORBIDDEN." })
  removeAward(@Arg("id", () => ID, { description: "The unpublished award to remove." }) id: string, @Ctx() context: JudgingContext) {
    return context.awards.remove(id);
  }

  @Mutation(() => [Award], {
    description:
      "Organiser only: publishes every award of a scope (a theme, or a theme within a division); their entries become public. Errors: NOT_FOUND (no awards in the scope), FORBIDDEN, SERVICE_UNAVAILABLE (nothing changed; try again).",
  })
  publishAwards(
    @Arg("theme", () => ThemeCode, { description: "The scope's theme." }) theme: ThemeCode,
    @Arg("divisionId", () => ID, { nullable: true, description: "The division scope; omit for the theme-wide awards." }) divisionId: string | null,
    @Ctx() context: JudgingContext,
  ) {
    return context.awards.publish(theme, divisionId);
  }

  @Mutation(() => [Award], {
    description: "Organiser only: withdraws a scope's awards from publication (e.g. to adjust them). Errors: NOT_FOUND, FORBIDDEN, SERVICE_UNAVAILABLE.",
  })
  unpublishAwards(
    @Arg("theme", () => ThemeCode, { description: "The scope's theme." }) theme: ThemeCode,
    @Arg("divisionId", () => ID, { nullable: true, description: "The division scope; omit for the theme-wide awards." }) divisionId: string | null,
    @Ctx() context: JudgingContext,
  ) {
    return context.awards.unpublish(theme, divisionId);
  }

  @FieldResolver(() => EntryReference, { description: "The awarded entry (its photographer's credit only with consent to publication)." })
  entry(@Root() award: Award) {
    return { id: award.entryId };
  }

  @FieldResolver(() => DivisionReference, { nullable: true, description: "The division whose awards this is; null for a theme-wide award." })
  division(@Root() award: Award) {
    return award.divisionId ? { id: award.divisionId } : null;
  }

  @FieldResolver({ description: "True once published." })
  published(@Root() award: Award): boolean {
    return award.publishedAt !== null;
  }

  @FieldResolver(() => JudgingRound, { nullable: true, description: "The round whose leaderboard it came from. Organisers only; null for others." })
  round(@Root() award: Award, @Ctx() context: JudgingContext) {
    return context.awards.roundOf(award);
  }
}
