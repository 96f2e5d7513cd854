// Responsible for scores and votes: the scoring rules (assigned, open round, on the scale and step, weighted
// criteria), the log every change is appended to, judges' own progress, and the organisers' history and check.
import { DataSource } from "typeorm";
import { verifyDocument } from "../../../lib/auth";
import { RequestContext } from "../../../lib/context";
import { judgingPolicy, maySeeAssignment } from "../judging.visibility";
import { badInput, forbidden, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { Assignment, AssignmentStatus } from "../assignment/assignment.entity";
import { JudgingLoaders } from "../loaders";
import { JudgingRound, RoundStatus } from "../round/round.entity";
import { RoundService } from "../round/round.service";
import { appendScoreEvent, chainExtends, publishedHeads, verifyChain } from "./score-log";
import { CriterionScore, Score, ScoreEvent, ScoreEventKind } from "./score.entity";
import { SubmitScoreInput } from "./score.inputs";
import { checkSubmission, round3, sameScore } from "./score.checks";
import { insertScore, judgeProgress, updateScore } from "./score.store";
import { MyJudgingProgress, ScoreLogVerification } from "./score.types";

export class ScoreService {
  private readonly repository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: JudgingLoaders,
    private readonly context: RequestContext,
    private readonly rounds: RoundService,
  ) {
    this.repository = dataSource.getRepository(Score);
  }

  /**
   * Sets or changes the caller's score for an entry assigned to them in an open round. Nothing is stored
   * when a rule fails: FORBIDDEN (not assigned, recused, round not open), BAD_USER_INPUT (off scale or step).
   */
  async submit(input: SubmitScoreInput): Promise<Score> {
    const viewer = judgingPolicy.assertCan(this.context, "score:submit");
    const roundId = parseId(input.roundId, "roundId");
    const entryId = parseId(input.entryId, "entryId");
    const scoreId = await this.dataSource.transaction(async (manager) => {
      const round = await manager
        .getRepository(JudgingRound)
        .createQueryBuilder("round")
        .setLock("pessimistic_write")
        .where("round.id = :roundId", { roundId })
        .getOne();
      const assignment = round
        ? await manager
            .getRepository(Assignment)
            .createQueryBuilder("assignment")
            .setLock("pessimistic_write")
            .where("assignment.round_id = :roundId AND assignment.entry_id = :entryId AND assignment.judge_id = :judgeId", {
              roundId,
              entryId,
              judgeId: viewer.judgeId,
            })
            .getOne()
        : null;
      if (!round || !assignment || assignment.status === AssignmentStatus.RECUSED) throw forbidden("This entry is not assigned to you in this round.");
      if (round.status !== RoundStatus.OPEN) throw forbidden(`The round is ${round.status}: scores can be given or changed only while it is open.`);
      const checked = checkSubmission(round, input);
      const existing = await manager.getRepository(Score).findOneBy({ assignmentId: assignment.id });
      if (existing && sameScore(existing, checked)) return existing.id;
      let id: string;
      if (existing) {
        await updateScore(manager, existing.id, checked);
        id = existing.id;
      } else {
        id = await insertScore(manager, { id: assignment.id, roundId: round.id, judgeId: assignment.judgeId, entryId }, checked);
      }
      await appendScoreEvent(manager, round, {
        assignmentId: assignment.id,
        judgeId: assignment.judgeId,
        entryId,
        kind: ScoreEventKind.SCORED,
        ...checked,
        actor: viewer.subject,
      });
      return id;
    });
    return this.repository.findOneByOrFail({ id: scoreId });
  }

  /** The caller's own progress and score distribution in a round they judge. */
  async myProgress(roundId: string): Promise<MyJudgingProgress> {
    const viewer = judgingPolicy.assertCan(this.context, "score:read-own-progress");
    const round = await this.rounds.get(parseId(roundId, "roundId"));
    if (!round) throw notFound("JudgingRound", roundId);
    const { counts, buckets } = await judgeProgress(this.dataSource.manager, round.id, viewer.judgeId!);
    const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
    const meanScore = total ? round3(buckets.reduce((sum, bucket) => sum + bucket.value * bucket.count, 0) / total) : null;
    return { round, ...counts, meanScore, distribution: buckets };
  }

  /** Every change to an entry's scores in a round, oldest first (organisers). */
  async history(roundId: string, entryId: string): Promise<ScoreEvent[]> {
    const round = await this.rounds.require(roundId);
    return this.dataSource.getRepository(ScoreEvent).find({ where: { roundId: round.id, entryId: parseId(entryId, "entryId") }, order: { sequence: "ASC" } });
  }

  /**
   * Recomputes the round's hash chain, compares current scores with it, checks every head fixed for the round
   * (in the chain, signature valid) and, given the head a caller holds, whether today's chain extends it.
   * Organisers any round; anyone a round whose awards are published.
   */
  async verify(roundId: string, expectedHead: string | null | undefined): Promise<ScoreLogVerification> {
    if (expectedHead != null && !/^[0-9a-f]{64}$/.test(expectedHead))
      throw badInput("expectedHead must be a SHA-256 hash: 64 lower-case hex digits.", { argument: "expectedHead" });
    const { id } = await this.rounds.requireWithPublicLog(roundId);
    const round = await this.dataSource.getRepository(JudgingRound).findOneByOrFail({ id });
    const [events, scores, heads] = await Promise.all([
      this.dataSource.getRepository(ScoreEvent).find({ where: { roundId: round.id }, order: { sequence: "ASC" } }),
      this.repository.findBy({ roundId: round.id }),
      publishedHeads(this.dataSource, [round.id]),
    ]);
    const problems = verifyChain(round, events, scores, heads);
    for (const head of heads) {
      const claims = verifyDocument(head.jws);
      if (!claims || claims.hash !== head.hash || claims.recordCount !== head.recordCount || claims.roundId !== round.id) {
        problems.push({
          sequence: head.recordCount || null,
          problem: `The signature of the head fixed at record ${head.recordCount} does not match it: the stored head was changed.`,
        });
      }
    }
    const extendsExpectedHead = expectedHead == null ? null : chainExtends(events, { hash: expectedHead });
    if (extendsExpectedHead === false) {
      problems.push({
        sequence: null,
        problem: `Today's log does not extend the head ${expectedHead}: a record up to it was changed or removed, or the head is not from this round.`,
      });
    }
    return {
      round,
      valid: problems.length === 0,
      eventsChecked: events.length,
      headHash: events.length ? events[events.length - 1].hash : null,
      expectedHead: expectedHead ?? null,
      extendsExpectedHead,
      problems,
    };
  }

  /** Scores of an entry the caller may see: organisers all, a judge their own, nobody else any. */
  forEntry(entryId: string): Promise<Score[]> {
    return this.loaders.scoresByEntry.load(entryId);
  }

  /** The criteria values of a score, in the round's criteria order. */
  async criteriaOf(score: Score): Promise<CriterionScore[]> {
    const round = await this.loaders.round.load(score.roundId);
    const order = round?.criteria.map((criterion) => criterion.code) ?? [];
    return Object.entries(score.criteria ?? {})
      .map(([code, value]) => ({ code, value }))
      .sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));
  }

  /** A judge's score on an assignment is theirs to see; organisers see all. */
  async ofAssignment(assignment: Assignment): Promise<Score | null> {
    if (!maySeeAssignment(this.context.viewer, assignment)) return null;
    return (await this.loaders.scoreByAssignment.load(assignment.id)) ?? null;
  }
}
