import { Arg, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { JudgingContext } from "../context";
import { DivisionReference } from "../division/division.type";
import { JudgingRound, RoundCriterion, RoundKind, ScoreScale } from "./round.entity";
import { CreateRoundInput, UpdateRoundInput } from "./round.inputs";
import { JudgingProgress } from "./round.types";
import { ScoreLogHead } from "../score/score.types";

@Resolver(() => JudgingRound)
export class RoundResolver {
  @Query(() => [JudgingRound], { description: "Every judging round, oldest first (organisers only; others FORBIDDEN)." })
  rounds(@Ctx() context: JudgingContext) {
    return context.rounds.list();
  }

  @Query(() => JudgingRound, {
    nullable: true,
    description: "One round: organisers any; judges an open or closed round they have assignments in; null otherwise.",
  })
  round(@Arg("id", () => ID, { description: "The round's id." }) id: string, @Ctx() context: JudgingContext) {
    return context.rounds.get(id);
  }

  @Query(() => [JudgingProgress], {
    description:
      "Judging progress (entries scored / assigned, per judge) of one round, or of every round when roundId is omitted. Organisers only; others FORBIDDEN.",
  })
  judgingProgress(
    @Arg("roundId", () => ID, { nullable: true, description: "One round; omit for every round." }) roundId: string | null,
    @Ctx() context: JudgingContext,
  ) {
    return context.rounds.progress(roundId);
  }

  @Mutation(() => JudgingRound, {
    description:
      "Organiser only: a new DRAFT round. Errors: BAD_USER_INPUT (scale, criteria, quorum, votes, cap), NOT_FOUND (division, previous round), FORBIDDEN.",
  })
  createRound(@Arg("input", { description: "The round's kind, scope and settings." }) input: CreateRoundInput, @Ctx() context: JudgingContext) {
    return context.rounds.create(input);
  }

  @Mutation(() => JudgingRound, {
    description: "Organiser only. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN, CONFLICT (settings of a round no longer DRAFT; cap once awards are published).",
  })
  updateRound(@Arg("input", { description: "The round and what changes." }) input: UpdateRoundInput, @Ctx() context: JudgingContext) {
    return context.rounds.update(input);
  }

  @Mutation(() => JudgingRound, {
    description:
      "Organiser only: opens a DRAFT round with assignments; its judges now see their assigned entries (blind) and score. Errors: NOT_FOUND, FORBIDDEN, CONFLICT, SERVICE_UNAVAILABLE.",
  })
  openRound(@Arg("id", () => ID, { description: "The DRAFT round to open." }) id: string, @Ctx() context: JudgingContext) {
    return context.rounds.open(id);
  }

  @Mutation(() => JudgingRound, {
    description:
      "Organiser only: closes an OPEN round; scores become final. With unscored assignments: CONFLICT (extensions.unscoredAssignments) unless closeAnyway is true — or reassign them first with reassignUnscoredAssignments. Errors: NOT_FOUND, FORBIDDEN, CONFLICT.",
  })
  closeRound(
    @Arg("id", () => ID, { description: "The OPEN round to close." }) id: string,
    @Arg("closeAnyway", () => Boolean, { defaultValue: false, description: "Close although some assignments are unscored (they stay unscored)." })
    closeAnyway: boolean,
    @Ctx() context: JudgingContext,
  ) {
    return context.rounds.close(id, closeAnyway);
  }

  @FieldResolver(() => ScoreScale, { nullable: true, description: "SCORE rounds: the scale every criterion is scored on; null for SHORTLIST rounds." })
  scale(@Root() round: JudgingRound) {
    return round.kind === RoundKind.SCORE ? { min: round.scaleMin, max: round.scaleMax, step: round.scaleStep } : null;
  }

  @FieldResolver(() => [RoundCriterion], { description: "SCORE rounds: the weighted criteria, in order; empty for SHORTLIST rounds." })
  criteria(@Root() round: JudgingRound) {
    return round.criteria;
  }

  @FieldResolver(() => Int, { nullable: true, description: "Judges per entry. Organisers only; null for judges." })
  quorum(@Root() round: JudgingRound, @Ctx() context: JudgingContext) {
    return context.rounds.organizerDetail(round.quorum);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: "Percent of a theme's entries that can be accepted (default 30). Organisers only; null for judges.",
  })
  acceptanceCapPercent(@Root() round: JudgingRound, @Ctx() context: JudgingContext) {
    return context.rounds.organizerDetail(round.acceptanceCapPercent);
  }

  @FieldResolver(() => DivisionReference, {
    nullable: true,
    description: "The division the round covers. Organisers only (it would tell judges where entries come from); null otherwise.",
  })
  division(@Root() round: JudgingRound, @Ctx() context: JudgingContext) {
    return context.rounds.organizerDetail(round.divisionId ? { id: round.divisionId } : null);
  }

  @FieldResolver(() => JudgingRound, { nullable: true, description: "The earlier round whose passed entries this round judges. Organisers only." })
  async previousRound(@Root() round: JudgingRound, @Ctx() context: JudgingContext) {
    return context.rounds.organizerDetail(round.previousRoundId ? await context.loaders.round.load(round.previousRoundId) : null);
  }

  @FieldResolver(() => String, { nullable: true, description: "The seed of the last automatic assignment. Organisers only." })
  assignmentSeed(@Root() round: JudgingRound, @Ctx() context: JudgingContext) {
    return context.rounds.organizerDetail(round.assignmentSeed);
  }

  @FieldResolver(() => Int, { nullable: true, description: "Assignments still unscored when the round was closed with closeAnyway. Organisers only." })
  closedWithUnscored(@Root() round: JudgingRound, @Ctx() context: JudgingContext) {
    return context.rounds.organizerDetail(round.closedWithUnscored);
  }

  @FieldResolver(() => ScoreLogHead, {
    nullable: true,
    description:
      "The head of the round's score log as last fixed and signed: when the round closed and again when its awards were published. Public once awards from the round are published (organisers always); null before the round closes and for others. Keep it: verifyScoreLog(roundId, expectedHead) and scripts/verify-score-log.ts check that today's log still extends it (docs/organiser.md).",
  })
  scoreLogHead(@Root() round: JudgingRound, @Ctx() context: JudgingContext) {
    return context.rounds.scoreLogHead(round);
  }

  @FieldResolver(() => JudgingProgress, { description: "Entries scored / assigned, per judge. Organisers only; others FORBIDDEN." })
  progress(@Root() round: JudgingRound, @Ctx() context: JudgingContext) {
    return context.rounds.progressOf(round);
  }
}
