import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, PageArguments } from "../../../lib/pagination";
import type { JudgingContext } from "../context";
import { OrganizationReference } from "../organization/organization.type";
import { VenueReference } from "../venue/venue.type";
import { Judge } from "./judge.entity";
import { CreateJudgeInput, UpdateJudgeInput } from "./judge.inputs";
import { JudgeLogin } from "./judge.types";

export const JudgeConnection = ConnectionType("Judge", Judge, "A page of judges, by name.");

@Resolver(() => Judge)
export class JudgeResolver {
  @Query(() => JudgeConnection, { description: "All judges, by name (organisers only; others FORBIDDEN)." })
  judges(@Args() page: PageArguments, @Ctx() context: JudgingContext) {
    return context.judges.list(page);
  }

  @Query(() => Judge, { nullable: true, description: "One judge: organisers any, a judge themself; null otherwise." })
  judge(@Arg("id", () => ID, { description: "The judge's id." }) id: string, @Ctx() context: JudgingContext) {
    return context.judges.get(id);
  }

  @Query(() => Judge, { description: "The judge a JUDGE token belongs to. Others: FORBIDDEN (UNAUTHENTICATED without a token)." })
  myJudge(@Ctx() context: JudgingContext) {
    return context.judges.me();
  }

  @Mutation(() => Judge, {
    description: "Organiser only: a new judge with affiliations. Errors: BAD_USER_INPUT, NOT_FOUND (an organisation or venue), FORBIDDEN, SERVICE_UNAVAILABLE.",
  })
  createJudge(@Arg("input", { description: "Name, contact and affiliations." }) input: CreateJudgeInput, @Ctx() context: JudgingContext) {
    return context.judges.create(input);
  }

  @Mutation(() => Judge, {
    description: "Organiser only. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN, CONFLICT (new affiliations conflict with assignments in rounds not closed).",
  })
  updateJudge(@Arg("input", { description: "The judge and what changes." }) input: UpdateJudgeInput, @Ctx() context: JudgingContext) {
    return context.judges.update(input);
  }

  @Mutation(() => JudgeLogin, {
    description:
      "Organiser only: creates the judge's login (a JUDGE API client); exchange it with issueToken. The secret is shown once. Errors: NOT_FOUND, FORBIDDEN, SERVICE_UNAVAILABLE.",
  })
  createJudgeLogin(
    @Arg("judgeId", () => ID, { description: "The judge who logs in with it." }) judgeId: string,
    @Arg("name", () => String, { nullable: true, description: 'A name for the API client; default "Judge <name>".' }) name: string | null,
    @Ctx() context: JudgingContext,
  ) {
    return context.judges.createLogin(judgeId, name);
  }

  @FieldResolver(() => String, { nullable: true, description: "Contact e-mail; organisers only, null for others." })
  email(@Root() judge: Judge, @Ctx() context: JudgingContext) {
    return context.judges.emailOf(judge);
  }

  @FieldResolver(() => [OrganizationReference], { description: "Organisations the judge is affiliated with (conflict of interest)." })
  organizations(@Root() judge: Judge) {
    return judge.organizationIds.map((id) => ({ id }));
  }

  @FieldResolver(() => [VenueReference], { description: "Venues the judge is affiliated with (conflict of interest)." })
  venues(@Root() judge: Judge) {
    return judge.venueIds.map((id) => ({ id }));
  }
}
