// Responsible for who judges what: automatic quorum assignment, manual adjustment, recusal with
// reassignment, judges' and organisers' assignment lists, and keeping judges' entry grants in step.
import { DataSource, EntityManager } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { judgingPolicy, maySeeAssignment, recusalNeedsOpenRound, viewerJudgeId } from "../judging.visibility";
import { badInput, conflict, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { Page, PageArgs } from "../../../lib/pagination";
import { optionalText, requiredText } from "../../../lib/text";
import { Judge } from "../judge/judge.entity";
import { JudgingLoaders } from "../loaders";
import { JudgingRound, RoundKind, RoundStatus } from "../round/round.entity";
import { RoundService } from "../round/round.service";
import { checkQuorum } from "../round/round.settings";
import { AssignmentSummary } from "../round/round.types";
import { appendScoreEvent } from "../score/score-log";
import { ScoreEventKind } from "../score/score.entity";
import { syncJudgeGrants } from "./assignment-grants";
import { Assignment, AssignmentOrigin, AssignmentStatus } from "./assignment.entity";
import { AddAssignmentInput, AssignJudgesInput } from "./assignment.inputs";
import { hasConflict, planAssignments, planReplacements } from "./assignment.planner";
import {
  addToPool,
  assignmentsOfRound,
  deleteAssignment,
  deleteScoreOf,
  eligibilityFacts,
  insertAssignment,
  judgeIdsOfRound,
  lockAssignment,
  markRecused,
  moveAssignments,
  ownAssignments,
  replacementInput,
  saveAutomaticPlan,
  unscoredAssignmentsOf,
} from "./assignment.store";
import { ReassignmentResult, RecusalResult } from "./assignment.types";

const MAX_POOL = 500;

export class AssignmentService {
  private readonly repository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: JudgingLoaders,
    private readonly context: RequestContext,
    private readonly rounds: RoundService,
  ) {
    this.repository = dataSource.getRepository(Assignment);
  }

  /** Grants are kept only while judges can see the round (open or closed); a DRAFT round has none. */
  private grantsApply(round: JudgingRound): boolean {
    return round.status !== RoundStatus.DRAFT;
  }

  private seedOf(round: JudgingRound): string {
    return round.assignmentSeed ?? round.id;
  }

  /** Replaces every assignment of a DRAFT round: snapshots its entries, then plans a balanced quorum. */
  async assign(input: AssignJudgesInput): Promise<AssignmentSummary> {
    const round = await this.rounds.require(input.roundId);
    if (round.status !== RoundStatus.DRAFT) {
      throw conflict(
        `Automatic assignment replaces every assignment and is only possible while the round is DRAFT; it is ${round.status}. Adjust by hand instead.`,
        { status: round.status },
      );
    }
    const judgeIds = [...new Set((input.judgeIds ?? []).map((id) => parseId(id, "judgeIds")))];
    if (judgeIds.length > MAX_POOL) throw badInput(`At most ${MAX_POOL} judges per round.`, { argument: "judgeIds" });
    const judges = await this.loaders.judge.loadMany(judgeIds);
    const missing = judgeIds.find((_id, index) => !(judges[index] instanceof Judge));
    if (missing) throw notFound("Judge", missing);
    const pool = judges as Judge[];
    const quorum = checkQuorum(input.quorum ?? round.quorum);
    if (pool.length < quorum) throw badInput(`A quorum of ${quorum} needs at least ${quorum} judges; ${pool.length} given.`, { argument: "judgeIds" });
    if (round.kind === RoundKind.SHORTLIST && (round.passVotes ?? 0) > quorum) {
      throw badInput(`The round needs ${round.passVotes} yes votes to pass; lower passVotes (updateRound) before a quorum of ${quorum}.`, {
        argument: "quorum",
      });
    }
    const seed = optionalText(input.seed, "seed", 100) ?? round.id;

    const entries = await this.rounds.snapshotEntries(round);
    if (!entries.length) throw conflict("No SUBMITTED entry matches this round's theme, division and previous round; there is nothing to assign.");
    const plan = planAssignments(entries, pool, quorum, seed);
    if (plan.shortOfQuorum.length) {
      throw badInput(
        `${plan.shortOfQuorum.length} entries have fewer than ${quorum} judges without a conflict of interest among those given; add judges or lower the quorum.`,
        { argument: "judgeIds", entriesShortOfQuorum: plan.shortOfQuorum.length, entryIds: plan.shortOfQuorum.slice(0, 20).map((item) => item.entryId) },
      );
    }

    await this.dataSource.transaction(async (manager) => {
      const locked = await this.rounds.lock(manager, round.id);
      if (locked.status !== RoundStatus.DRAFT) throw conflict(`The round was opened meanwhile (${locked.status}); automatic assignment is no longer possible.`);
      await saveAutomaticPlan(manager, { roundId: round.id, entries, judgeIds: pool.map((judge) => judge.id), assignments: plan.assignments, quorum, seed });
    });
    const updated = await this.dataSource.getRepository(JudgingRound).findOneByOrFail({ id: round.id });
    return {
      round: updated,
      entries: entries.length,
      assignments: plan.assignments.length,
      seed,
      judges: [...pool].sort((a, b) => (a.id < b.id ? -1 : 1)).map((judge) => ({ judge, assigned: plan.loads.get(judge.id) ?? 0 })),
    };
  }

  /** Adds one assignment by hand; never one with a conflict of interest. */
  async add(input: AddAssignmentInput): Promise<Assignment> {
    const { id: roundId } = await this.rounds.require(input.roundId);
    const entryId = parseId(input.entryId, "entryId");
    const judgeId = parseId(input.judgeId, "judgeId");
    const judge = await this.loaders.judge.load(judgeId);
    if (!judge) throw notFound("Judge", judgeId);
    const id = await this.dataSource.transaction(async (manager) => {
      const round = await this.lockChangeable(manager, roundId);
      await this.checkEligible(manager, round, entryId, judge);
      const id = await insertAssignment(manager, round.id, entryId, judge.id, AssignmentOrigin.MANUAL);
      await addToPool(manager, round.id, judge.id);
      if (this.grantsApply(round)) await syncJudgeGrants(manager, round.id, [judge.id]);
      return id;
    });
    return this.repository.findOneByOrFail({ id });
  }

  /** Removes an unscored assignment by hand. */
  async remove(id: string): Promise<boolean> {
    judgingPolicy.assertCan(this.context, "assignment:manage");
    const assignment = await this.requireAssignment(id);
    await this.dataSource.transaction(async (manager) => {
      const round = await this.lockChangeable(manager, assignment.roundId);
      const current = await this.lockAssignment(manager, assignment.id);
      if (current.status !== AssignmentStatus.ASSIGNED) {
        throw conflict(`Only an unscored assignment can be removed; this one is ${current.status}.`, { status: current.status });
      }
      await deleteAssignment(manager, current.id);
      if (this.grantsApply(round)) await syncJudgeGrants(manager, round.id, [current.judgeId]);
    });
    return true;
  }

  /** Moves an unscored assignment to the given judge, or to the least-loaded eligible judge of the pool. */
  async reassign(id: string, judgeId: string | null | undefined): Promise<Assignment> {
    judgingPolicy.assertCan(this.context, "assignment:manage");
    const assignment = await this.requireAssignment(id);
    const target = judgeId ? await this.loaders.judge.load(parseId(judgeId, "judgeId")) : undefined;
    if (judgeId && !target) throw notFound("Judge", judgeId);
    await this.dataSource.transaction(async (manager) => {
      const round = await this.lockChangeable(manager, assignment.roundId);
      const current = await this.lockAssignment(manager, assignment.id);
      if (current.status !== AssignmentStatus.ASSIGNED) {
        throw conflict(`Only an unscored assignment can be moved; this one is ${current.status}.`, { status: current.status });
      }
      let newJudgeId: string;
      let origin: AssignmentOrigin;
      if (target) {
        await this.checkEligible(manager, round, current.entryId, target);
        await addToPool(manager, round.id, target.id);
        newJudgeId = target.id;
        origin = AssignmentOrigin.MANUAL;
      } else {
        const [replacement] = await this.planReplacements(manager, round, [current], [current.judgeId]);
        if (!replacement)
          throw conflict(
            "No other judge of the round's pool is free of a conflict of interest and not already on this entry; name a judge or add one with addAssignment.",
          );
        newJudgeId = replacement;
        origin = AssignmentOrigin.REASSIGNED;
      }
      await moveAssignments(manager, [{ id: current.id, judgeId: newJudgeId }], origin);
      if (this.grantsApply(round)) await syncJudgeGrants(manager, round.id, [current.judgeId, newJudgeId]);
    });
    return this.repository.findOneByOrFail({ id: assignment.id });
  }

  /** Moves every unscored assignment of one judge (e.g. one who dropped out) to other eligible judges of the pool. */
  async reassignUnscored(roundId: string, judgeId: string): Promise<ReassignmentResult> {
    const { id } = await this.rounds.require(roundId);
    const fromJudgeId = parseId(judgeId, "judgeId");
    return this.dataSource.transaction(async (manager) => {
      const round = await this.lockChangeable(manager, id);
      const pending = await unscoredAssignmentsOf(manager, round.id, fromJudgeId);
      const replacements = await this.planReplacements(manager, round, pending, [fromJudgeId]);
      const moves = pending.flatMap((assignment, index) => (replacements[index] ? [{ id: assignment.id, judgeId: replacements[index] }] : []));
      if (moves.length) {
        await moveAssignments(manager, moves, AssignmentOrigin.REASSIGNED);
        if (this.grantsApply(round)) await syncJudgeGrants(manager, round.id, [fromJudgeId, ...moves.map((move) => move.judgeId!)]);
      }
      return { moved: moves.length, unmoved: pending.length - moves.length };
    });
  }

  /**
   * A judge (or an organiser for them) steps aside from an entry, with a reason. A score already given is
   * withdrawn (and the withdrawal logged); the entry goes to the least-loaded eligible judge of the pool.
   */
  async recuse(assignmentId: string, reason: string): Promise<RecusalResult> {
    const viewer = judgingPolicy.assertCan(this.context, "assignment:recuse");
    const text = requiredText(reason, "reason", 1000);
    const assignment = await this.loaders.assignment.load(parseId(assignmentId, "assignmentId"));
    // A judge cannot learn about assignments that are not theirs.
    if (!assignment || !maySeeAssignment(viewer, assignment)) throw notFound("Assignment", assignmentId);
    const reassigned = await this.dataSource.transaction(async (manager) => {
      const round = await this.rounds.lock(manager, assignment.roundId);
      if (recusalNeedsOpenRound(viewer) && round.status !== RoundStatus.OPEN)
        throw conflict(`You can recuse only while the round is open; it is ${round.status}.`, { status: round.status });
      if (round.status === RoundStatus.CLOSED) throw conflict("The round is closed.", { status: round.status });
      const current = await this.lockAssignment(manager, assignment.id);
      if (current.status === AssignmentStatus.RECUSED) throw conflict("This assignment is already recused.", { status: current.status });
      if (current.status === AssignmentStatus.SCORED) {
        await deleteScoreOf(manager, current.id);
        await appendScoreEvent(manager, round, {
          assignmentId: current.id,
          judgeId: current.judgeId,
          entryId: current.entryId,
          kind: ScoreEventKind.WITHDRAWN,
          value: null,
          pass: null,
          criteria: {},
          actor: viewer.subject,
        });
      }
      await markRecused(manager, current.id, text);
      const [replacement] = await this.planReplacements(manager, round, [current], [current.judgeId]);
      if (replacement) await insertAssignment(manager, round.id, current.entryId, replacement, AssignmentOrigin.REASSIGNED);
      if (this.grantsApply(round)) await syncJudgeGrants(manager, round.id, replacement ? [current.judgeId, replacement] : [current.judgeId]);
      return Boolean(replacement);
    });
    return { assignment: await this.repository.findOneByOrFail({ id: assignment.id }), reassigned };
  }

  /** Re-sends every judge's grants for a round (after the entries subgraph was unreachable, or a failed commit). */
  async syncGrants(roundId: string): Promise<number> {
    const round = await this.rounds.require(roundId);
    if (!this.grantsApply(round)) return 0;
    return this.dataSource.transaction(async (manager) => {
      return syncJudgeGrants(manager, round.id, await judgeIdsOfRound(manager, round.id));
    });
  }

  /** A judge's own assignments in open and closed rounds, by round and entry id; recused ones are not listed (the entry is no longer theirs to see). */
  myAssignments(roundId: string | null | undefined, status: AssignmentStatus | null | undefined, args: PageArgs): Promise<Page<Assignment>> {
    const viewer = judgingPolicy.assertCan(this.context, "assignment:list-own");
    if (status === AssignmentStatus.RECUSED) throw badInput("Recused assignments are not listed; filter by ASSIGNED or SCORED.", { argument: "status" });
    return ownAssignments(this.dataSource, viewerJudgeId(viewer), { roundId: roundId ? parseId(roundId, "roundId") : undefined, status }, args);
  }

  /** Every assignment of a round, for organisers, with optional filters. */
  async roundAssignments(
    roundId: string,
    filter: { judgeId?: string | null; entryId?: string | null; status?: AssignmentStatus | null },
    args: PageArgs,
  ): Promise<Page<Assignment>> {
    const round = await this.rounds.require(roundId);
    return assignmentsOfRound(
      this.dataSource,
      round.id,
      {
        judgeId: filter.judgeId ? parseId(filter.judgeId, "judgeId") : undefined,
        entryId: filter.entryId ? parseId(filter.entryId, "entryId") : undefined,
        status: filter.status,
      },
      args,
    );
  }

  /** Organisers see every assignment; a judge their own in rounds they can see. */
  mayView(assignment: Assignment): boolean {
    return maySeeAssignment(this.context.viewer, assignment);
  }

  private async requireAssignment(id: string): Promise<Assignment> {
    const assignment = await this.loaders.assignment.load(parseId(id, "id"));
    if (!assignment) throw notFound("Assignment", id);
    return assignment;
  }

  private async lockChangeable(manager: EntityManager, roundId: string): Promise<JudgingRound> {
    const round = await this.rounds.lock(manager, roundId);
    if (round.status === RoundStatus.CLOSED) throw conflict("The round is closed; its assignments can no longer change.", { status: round.status });
    return round;
  }

  private async lockAssignment(manager: EntityManager, id: string): Promise<Assignment> {
    const assignment = await lockAssignment(manager, id);
    if (!assignment) throw notFound("Assignment", id);
    return assignment;
  }

  /** The entry must be in the round, the judge free of a conflict of interest with it and not already on it. */
  private async checkEligible(manager: EntityManager, round: JudgingRound, entryId: string, judge: Judge): Promise<void> {
    const entry = await eligibilityFacts(manager, round.id, entryId, judge.id);
    if (!entry) throw badInput("This entry is not part of the round.", { argument: "entryId" });
    if (hasConflict(judge, entry)) {
      throw badInput("The judge is affiliated with the entry's venue or its organisation (conflict of interest) and cannot judge it.", {
        argument: "judgeId",
        reason: "CONFLICT_OF_INTEREST",
      });
    }
    if (entry.alreadyAssigned) throw conflict("The judge already has (or recused from) this entry in this round.", { argument: "judgeId" });
  }

  /** For each assignment, a replacement from the round's pool (see planReplacements), or null; later picks see earlier ones. */
  private async planReplacements(manager: EntityManager, round: JudgingRound, assignments: Assignment[], excluded: string[]): Promise<(string | null)[]> {
    if (!assignments.length) return [];
    const entryIds = [...new Set(assignments.map((assignment) => assignment.entryId))];
    return planReplacements(await replacementInput(manager, round.id, entryIds, excluded), assignments, this.seedOf(round));
  }
}
