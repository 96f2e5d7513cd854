import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, PageArguments } from "../../../lib/pagination";
import type { JudgingContext } from "../context";
import { EntryReference } from "../entry/entry.type";
import { Judge } from "../judge/judge.entity";
import { JudgingRound } from "../round/round.entity";
import { AssignmentSummary } from "../round/round.types";
import { Score } from "../score/score.entity";
import { Assignment, AssignmentStatus } from "./assignment.entity";
import { AddAssignmentInput, AssignJudgesInput } from "./assignment.inputs";
import { ReassignmentResult, RecusalResult } from "./assignment.types";

export const AssignmentConnection = ConnectionType("Assignment", Assignment, "A page of assignments, by round and entry id.");

@Resolver(() => Assignment)
export class AssignmentResolver {
  @Query(() => AssignmentConnection, {
    description:
      "The caller's assignments in open and closed rounds (JUDGE tokens only; others FORBIDDEN), by round and entry id. Recused ones are not listed. Entries are blind: no entrant, venue or country.",
  })
  myAssignments(
    @Arg("roundId", () => ID, { nullable: true, description: "Only this round's." }) roundId: string | null,
    @Arg("status", () => AssignmentStatus, { nullable: true, description: "ASSIGNED (still to score) or SCORED; RECUSED: BAD_USER_INPUT." })
    status: AssignmentStatus | null,
    @Args() page: PageArguments,
    @Ctx() context: JudgingContext,
  ) {
    return context.assignments.myAssignments(roundId, status, page);
  }

  @Query(() => AssignmentConnection, {
    description: "Every assignment of a round, by entry id (organisers only). Errors: NOT_FOUND, FORBIDDEN, BAD_USER_INPUT.",
  })
  roundAssignments(
    @Arg("roundId", () => ID, { description: "The round whose assignments to list." }) roundId: string,
    @Arg("judgeId", () => ID, { nullable: true, description: "Only this judge's assignments." }) judgeId: string | null,
    @Arg("entryId", () => ID, { nullable: true, description: "Only this entry's assignments." }) entryId: string | null,
    @Arg("status", () => AssignmentStatus, { nullable: true, description: "Only assignments in this status." }) status: AssignmentStatus | null,
    @Args() page: PageArguments,
    @Ctx() context: JudgingContext,
  ) {
    return context.assignments.roundAssignments(roundId, { judgeId, entryId, status }, page);
  }

  @Mutation(() => AssignmentSummary, {
    description:
      "Organiser only, DRAFT rounds: snapshots the round's entries (SUBMITTED, its theme/division, or those that passed the previous round) and gives each a quorum of judges from judgeIds — balanced load, never a judge affiliated with the entry's venue or organisation, reproducible for the same seed. Replaces earlier assignments. Errors: BAD_USER_INPUT (too few eligible judges: extensions.entriesShortOfQuorum), NOT_FOUND, CONFLICT, FORBIDDEN, SERVICE_UNAVAILABLE.",
  })
  assignJudges(@Arg("input", { description: "The round, its judge pool, quorum and seed." }) input: AssignJudgesInput, @Ctx() context: JudgingContext) {
    return context.assignments.assign(input);
  }

  @Mutation(() => Assignment, {
    description:
      "Organiser only: assigns one more judge to an entry of a round not closed. Errors: BAD_USER_INPUT (entry not in the round; conflict of interest), CONFLICT, NOT_FOUND, FORBIDDEN.",
  })
  addAssignment(@Arg("input", { description: "The round, entry and judge." }) input: AddAssignmentInput, @Ctx() context: JudgingContext) {
    return context.assignments.add(input);
  }

  @Mutation(() => Boolean, {
    description: "Organiser only: removes an unscored assignment. Errors: CONFLICT (scored, recused, round closed), NOT_FOUND, FORBIDDEN.",
  })
  removeAssignment(@Arg("id", () => ID, { description: "The assignment to remove." }) id: string, @Ctx() context: JudgingContext) {
    return context.assignments.remove(id);
  }

  @Mutation(() => Assignment, {
    description:
      "Organiser only: moves an unscored assignment to judgeId, or (without judgeId) to the least-loaded eligible judge of the round's pool. Errors: BAD_USER_INPUT (conflict of interest), CONFLICT, NOT_FOUND, FORBIDDEN.",
  })
  reassignAssignment(
    @Arg("id", () => ID, { description: "The unscored assignment to move." }) id: string,
    @Arg("judgeId", () => ID, { nullable: true, description: "The judge to move it to; omit to let the pool's least-loaded eligible judge take it." })
    judgeId: string | null,
    @Ctx() context: JudgingContext,
  ) {
    return context.assignments.reassign(id, judgeId);
  }

  @Mutation(() => ReassignmentResult, {
    description:
      "Organiser only: moves every unscored assignment of a judge in a round to other eligible judges of the pool (e.g. before closing). Errors: NOT_FOUND, CONFLICT, FORBIDDEN.",
  })
  reassignUnscoredAssignments(
    @Arg("roundId", () => ID, { description: "The round, not closed." }) roundId: string,
    @Arg("judgeId", () => ID, { description: "The judge whose unscored assignments move to others." }) judgeId: string,
    @Ctx() context: JudgingContext,
  ) {
    return context.assignments.reassignUnscored(roundId, judgeId);
  }

  @Mutation(() => RecusalResult, {
    description:
      "A judge steps aside from an assigned entry of an open round, with a reason (organisers can do it for them). A score already given is withdrawn (logged); the entry goes to another eligible judge when there is one. Errors: BAD_USER_INPUT, NOT_FOUND, CONFLICT, FORBIDDEN.",
  })
  recuse(
    @Arg("assignmentId", () => ID, { description: "The caller's assignment (organisers: any)." }) assignmentId: string,
    @Arg("reason", { description: "Why, at most 1000 characters; organisers read it." }) reason: string,
    @Ctx() context: JudgingContext,
  ) {
    return context.assignments.recuse(assignmentId, reason);
  }

  @Mutation(() => Int, {
    description:
      "Organiser only: re-sends every judge's entry grants for the round to the entries subgraph (repair after SERVICE_UNAVAILABLE). Returns how many judges were updated.",
  })
  syncRoundGrants(@Arg("roundId", () => ID, { description: "The round whose judges' grants to re-send." }) roundId: string, @Ctx() context: JudgingContext) {
    return context.assignments.syncGrants(roundId);
  }

  @FieldResolver(() => EntryReference, {
    description: "The entry, blind for judges (the entries subgraph hides entrant, venue, credit and country from them).",
  })
  entry(@Root() assignment: Assignment) {
    return { id: assignment.entryId };
  }

  @FieldResolver(() => JudgingRound, { description: "The round the assignment belongs to." })
  async round(@Root() assignment: Assignment, @Ctx() context: JudgingContext) {
    return (await context.loaders.round.load(assignment.roundId))!;
  }

  @FieldResolver(() => Judge, { description: "The judge (organisers see any; a judge sees only their own assignments)." })
  async judge(@Root() assignment: Assignment, @Ctx() context: JudgingContext) {
    return (await context.loaders.judge.load(assignment.judgeId))!;
  }

  @FieldResolver(() => Score, {
    nullable: true,
    description: "The judge's current score or vote; null before the first. Only the judge themself and organisers see it.",
  })
  score(@Root() assignment: Assignment, @Ctx() context: JudgingContext) {
    return context.scores.ofAssignment(assignment);
  }
}
