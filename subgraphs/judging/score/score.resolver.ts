import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { JudgingContext } from "../context";
import { EntryReference } from "../entry/entry.type";
import { Judge } from "../judge/judge.entity";
import { JudgingRound } from "../round/round.entity";
import { CriterionScore, Score, ScoreEvent } from "./score.entity";
import { SubmitScoreInput } from "./score.inputs";
import { MyJudgingProgress, ScoreLogVerification } from "./score.types";

@Resolver(() => Score)
export class ScoreResolver {
  @Mutation(() => Score, {
    description:
      "A judge scores (SCORE round) or votes (SHORTLIST round) on an entry assigned to them, or changes it while the round is open; every change is logged. Nothing is stored on error. Errors: FORBIDDEN (not assigned to you, recused, round not open, not a judge), BAD_USER_INPUT (off the scale or step, missing or unknown criteria, wrong kind of answer).",
  })
  submitScore(@Arg("input", { description: "The round, the entry and the score or vote." }) input: SubmitScoreInput, @Ctx() context: JudgingContext) {
    return context.scores.submit(input);
  }

  @Query(() => MyJudgingProgress, {
    description:
      "The caller's progress in a round and the distribution of their own scores (JUDGE tokens; others FORBIDDEN). Errors: NOT_FOUND (not a round you judge).",
  })
  myJudgingProgress(@Arg("roundId", () => ID, { description: "A round the caller judges." }) roundId: string, @Ctx() context: JudgingContext) {
    return context.scores.myProgress(roundId);
  }

  @Query(() => [ScoreEvent], {
    description: "Every change to an entry's scores in a round, in log order (organisers only). Errors: NOT_FOUND, FORBIDDEN, BAD_USER_INPUT.",
  })
  scoreHistory(
    @Arg("roundId", () => ID, { description: "The round." }) roundId: string,
    @Arg("entryId", () => ID, { description: "The entry whose score changes to list." }) entryId: string,
    @Ctx() context: JudgingContext,
  ) {
    return context.scores.history(roundId, entryId);
  }

  @Query(() => ScoreLogVerification, {
    description:
      "Checks a round's append-only score log: every record's hash, the chain of previous hashes, gaps, the head kept on the round, every head fixed for it (JudgingRound.scoreLogHead: still in the chain, signature valid), current scores against the log and, given expectedHead, whether today's chain extends the head you hold. Organisers any round; anyone a round whose awards are published; otherwise FORBIDDEN. A check run by the API is only as good as the API's database: a partner proves a round independently with the published head and scripts/verify-score-log.ts (docs/organiser.md). Errors: FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.",
  })
  verifyScoreLog(
    @Arg("roundId", () => ID, { description: "The round whose log to check." }) roundId: string,
    @Arg("expectedHead", () => String, {
      nullable: true,
      description:
        "A head hash you hold (from JudgingRound.scoreLogHead or an awards.published webhook): is it still in today's chain, with every later record chaining from it?",
    })
    expectedHead: string | null,
    @Ctx() context: JudgingContext,
  ) {
    return context.scores.verify(roundId, expectedHead);
  }

  @FieldResolver(() => EntryReference, { description: "The scored entry." })
  entry(@Root() score: Score) {
    return { id: score.entryId };
  }

  @FieldResolver(() => JudgingRound, { description: "The round the score belongs to." })
  async round(@Root() score: Score, @Ctx() context: JudgingContext) {
    return (await context.loaders.round.load(score.roundId))!;
  }

  @FieldResolver(() => Judge, { description: "Who gave the score (the judge themself, or any judge for organisers)." })
  async judge(@Root() score: Score, @Ctx() context: JudgingContext) {
    return (await context.loaders.judge.load(score.judgeId))!;
  }

  @FieldResolver(() => [CriterionScore], { description: "SCORE rounds: the value of each criterion, in the round's order; empty for votes." })
  criteria(@Root() score: Score, @Ctx() context: JudgingContext) {
    return context.scores.criteriaOf(score);
  }
}

@Resolver(() => ScoreEvent)
export class ScoreEventResolver {
  @FieldResolver(() => EntryReference, { description: "The entry the record is about." })
  entry(@Root() event: ScoreEvent) {
    return { id: event.entryId };
  }

  @FieldResolver(() => Judge, { description: "The judge whose score the record is about." })
  async judge(@Root() event: ScoreEvent, @Ctx() context: JudgingContext) {
    return (await context.loaders.judge.load(event.judgeId))!;
  }

  @FieldResolver(() => [CriterionScore], { description: "SCORE rounds: the criteria values recorded; empty for votes and withdrawals." })
  criteria(@Root() event: ScoreEvent) {
    return Object.entries(event.criteria ?? {}).map(([code, value]) => ({ code, value }));
  }
}
