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
import { JudgingRound, RoundKind, RoundStatus } from "../round/round.entity";
import { RoundService } from "../round/round.service";
import { appendScoreEvent, chainExtends, publishedHeads, verifyChain } from "./score-log";
import { CriteriaValues, CriterionScore, Score, ScoreEvent, ScoreEventKind } from "./score.entity";
import { SubmitScoreInput } from "./score.inputs";
import { MyJudgingProgress, ScoreLogVerification } from "./score.types";

interface CheckedScore {
  value: number | null;
  pass: boolean | null;
  criteria: CriteriaValues;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The scoring rules of a round, applied to one submission; BAD_USER_INPUT names what is wrong. */
export function checkSubmission(round: JudgingRound, input: Pick<SubmitScoreInput, "value" | "criteria" | "pass">): CheckedScore {
  if (round.kind === RoundKind.SHORTLIST) {
    if (input.value != null || input.criteria != null) throw badInput("This is a SHORTLIST round: vote with pass: true or false, without value or criteria.", { argument: "pass" });
    if (input.pass == null) throw badInput("This is a SHORTLIST round: give pass: true or false.", { argument: "pass" });
    return { value: null, pass: input.pass, criteria: {} };
  }
  if (input.pass != null) throw badInput("This is a SCORE round: give value or criteria, not pass.", { argument: "pass" });
  const min = round.scaleMin!;
  const max = round.scaleMax!;
  const step = round.scaleStep!;
  const onScale = (value: number, argument: string) => {
    const steps = (value - min) / step;
    if (!Number.isFinite(value) || value < min - 1e-9 || value > max + 1e-9 || Math.abs(steps - Math.round(steps)) > 1e-9) {
      throw badInput(`${argument} must be between ${min} and ${max} in steps of ${step}; got ${value}.`, { argument, min, max, step });
    }
    return round3(min + Math.round(steps) * step);
  };
  let criteria: CriteriaValues;
  if (input.criteria != null) {
    if (input.value != null) throw badInput("Give either value or criteria, not both.", { argument: "value" });
    criteria = {};
    for (const item of input.criteria) {
      if (!round.criteria.some((criterion) => criterion.code === item.code)) throw badInput(`"${String(item.code).slice(0, 40)}" is not a criterion of this round.`, { argument: "criteria" });
      if (item.code in criteria) throw badInput(`Criterion "${item.code}" is given twice.`, { argument: "criteria" });
      criteria[item.code] = onScale(item.value, `criteria.${item.code}`);
    }
    const missing = round.criteria.filter((criterion) => !(criterion.code in criteria)).map((criterion) => criterion.code);
    if (missing.length) throw badInput(`Every criterion needs a value; missing: ${missing.join(", ")}.`, { argument: "criteria", missing });
  } else {
    if (input.value == null) throw badInput("Give the score as value or criteria.", { argument: "value" });
    if (round.criteria.length !== 1) throw badInput(`This round scores ${round.criteria.length} criteria: give criteria, one value each.`, { argument: "criteria" });
    criteria = { [round.criteria[0].code]: onScale(input.value, "value") };
  }
  const totalWeight = round.criteria.reduce((sum, criterion) => sum + criterion.weight, 0);
  const weighted = round.criteria.reduce((sum, criterion) => sum + criterion.weight * criteria[criterion.code], 0) / totalWeight;
  return { value: round3(weighted), pass: null, criteria };
}

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
      const round = await manager.getRepository(JudgingRound).createQueryBuilder("round").setLock("pessimistic_write").where("round.id = :roundId", { roundId }).getOne();
      const assignment = round
        ? await manager
            .getRepository(Assignment)
            .createQueryBuilder("assignment")
            .setLock("pessimistic_write")
            .where("assignment.round_id = :roundId AND assignment.entry_id = :entryId AND assignment.judge_id = :judgeId", { roundId, entryId, judgeId: viewer.judgeId })
            .getOne()
        : null;
      if (!round || !assignment || assignment.status === AssignmentStatus.RECUSED) throw forbidden("This entry is not assigned to you in this round.");
      if (round.status !== RoundStatus.OPEN) throw forbidden(`The round is ${round.status}: scores can be given or changed only while it is open.`);
      const checked = checkSubmission(round, input);
      const existing = await manager.getRepository(Score).findOneBy({ assignmentId: assignment.id });
      if (existing && sameScore(existing, checked)) return existing.id;
      let id: string;
      if (existing) {
        await manager.query(`UPDATE judging.score SET value = $2, pass = $3, criteria = $4, version = version + 1, updated_at = now() WHERE id = $1`, [
          existing.id,
          checked.value,
          checked.pass,
          JSON.stringify(checked.criteria),
        ]);
        id = existing.id;
      } else {
        const [row] = await manager.query(
          `INSERT INTO judging.score (assignment_id, round_id, judge_id, entry_id, value, pass, criteria, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1) RETURNING id`,
          [assignment.id, round.id, assignment.judgeId, entryId, checked.value, checked.pass, JSON.stringify(checked.criteria)],
        );
        id = row.id;
        await manager.query(`UPDATE judging.assignment SET status = $2, updated_at = now() WHERE id = $1`, [assignment.id, AssignmentStatus.SCORED]);
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
    const [counts, buckets] = await Promise.all([
      this.dataSource.query(
        `SELECT (count(*) FILTER (WHERE status <> 'RECUSED'))::int AS assigned, (count(*) FILTER (WHERE status = 'SCORED'))::int AS scored,
                (count(*) FILTER (WHERE status = 'ASSIGNED'))::int AS pending, (count(*) FILTER (WHERE status = 'RECUSED'))::int AS recused
           FROM judging.assignment WHERE round_id = $1 AND judge_id = $2`,
        [round.id, viewer.judgeId],
      ),
      this.dataSource.query(
        `SELECT COALESCE(value::float8, CASE WHEN pass THEN 1 ELSE 0 END) AS value, count(*)::int AS count
           FROM judging.score WHERE round_id = $1 AND judge_id = $2 GROUP BY 1 ORDER BY 1`,
        [round.id, viewer.judgeId],
      ) as Promise<{ value: number; count: number }[]>,
    ]);
    const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
    const meanScore = total ? round3(buckets.reduce((sum, bucket) => sum + bucket.value * bucket.count, 0) / total) : null;
    return { round, ...counts[0], meanScore, distribution: buckets };
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
    if (expectedHead != null && !/^[0-9a-f]{64}$/.test(expectedHead)) throw badInput("expectedHead must be a SHA-256 hash: 64 lower-case hex digits.", { argument: "expectedHead" });
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
        problems.push({ sequence: head.recordCount || null, problem: `The signature of the head fixed at record ${head.recordCount} does not match it: the stored head was changed.` });
      }
    }
    const extendsExpectedHead = expectedHead == null ? null : chainExtends(events, { hash: expectedHead });
    if (extendsExpectedHead === false) {
      problems.push({ sequence: null, problem: `Today's log does not extend the head ${expectedHead}: a record up to it was changed or removed, or the head is not from this round.` });
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

function sameScore(score: Score, checked: CheckedScore): boolean {
  const codes = (criteria: CriteriaValues) => JSON.stringify(Object.keys(criteria).sort().map((code) => [code, criteria[code]]));
  return score.value === checked.value && score.pass === checked.pass && codes(score.criteria) === codes(checked.criteria);
}
