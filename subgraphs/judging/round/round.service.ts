// Responsible for judging rounds: their settings and validation, who may see them, opening and closing
// them, their progress, and which entries a round covers (snapshotted from the entries and venues subgraphs).
import { EntriesClient } from "../../../lib/clients/entries";
import { VenuesClient } from "../../../lib/clients/venues";
import { DataSource, EntityManager } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { judgingPolicy, maySeeRoundDetail, seesEverything } from "../judging.visibility";
import { badInput, conflict, forbidden, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { requiredText } from "../../../lib/text";
import { syncJudgeGrants } from "../assignment/assignment-grants";
import { JudgingLoaders } from "../loaders";
import type { RankedRow } from "../leaderboard/leaderboard.ranking";
import { rankedRowsOf } from "../leaderboard/leaderboard.store";
import { fixScoreLogHead, PublishedScoreLogHead, ScoreLogHeadReason } from "../score/score-log";
import { JudgingRound, RoundEntry, RoundKind, RoundStatus } from "./round.entity";
import { CreateRoundInput, UpdateRoundInput } from "./round.inputs";
import { judgesWithAssignments, markRoundClosed, markRoundOpened, publishedAwardCount, unscoredAssignmentCount } from "./round.store";
import { checkCap, checkCriteria, checkPassVotes, checkQuorum, checkScale, DEFAULT_CRITERIA, DEFAULT_SCALE } from "./round.settings";
import { JudgingProgress } from "./round.types";

const entriesClient = new EntriesClient("judging");
const venuesClient = new VenuesClient("judging");

export class RoundService {
  private readonly repository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: JudgingLoaders,
    private readonly context: RequestContext,
  ) {
    this.repository = dataSource.getRepository(JudgingRound);
  }

  /**
   * Organisers see every round; a judge sees open and closed rounds in which they have an assignment; anyone
   * sees a round once awards from it are published (its score-log head is then public, issue #18).
   */
  async mayView(round: JudgingRound): Promise<boolean> {
    if (seesEverything(this.context.viewer)) return true;
    if ((await this.loaders.roundOfViewerJudge.load(round.id)) !== undefined) return true;
    return this.hasPublishedAwards(round.id);
  }

  private async hasPublishedAwards(roundId: string): Promise<boolean> {
    return (await this.loaders.roundWithPublishedAwards.load(roundId)) !== undefined;
  }

  /** The round's latest fixed score-log head: organisers always, everyone once the round's awards are published. */
  async scoreLogHead(round: JudgingRound): Promise<PublishedScoreLogHead | null> {
    if (!seesEverything(this.context.viewer) && !(await this.hasPublishedAwards(round.id))) return null;
    return (await this.loaders.scoreLogHead.load(round.id)) ?? null;
  }

  /** For checking a round's score log: organisers any round; others a round whose awards are published, else FORBIDDEN. */
  async requireWithPublicLog(id: string): Promise<JudgingRound> {
    if (seesEverything(this.context.viewer)) return this.require(id);
    const round = await this.loaders.round.load(parseId(id, "roundId"));
    if (!round || !(await this.hasPublishedAwards(round.id)))
      throw forbidden("Only organisers can check the score log of a round whose awards are not published.");
    return round;
  }

  /** A round detail only organisers see (quorum, cap, division, seed…): null for judges, so nothing hints at where entries come from. */
  organizerDetail<T>(value: T | null | undefined): T | null {
    return maySeeRoundDetail(this.context.viewer) && value !== undefined ? value : null;
  }

  /** A round by id when the caller may see it (root field and _entities alike); null otherwise. */
  async get(id: string): Promise<JudgingRound | null> {
    const round = await this.loaders.round.load(id);
    return round && (await this.mayView(round)) ? round : null;
  }

  /** For organisers' operations: the round, or NOT_FOUND. */
  async require(id: string, argument = "roundId"): Promise<JudgingRound> {
    judgingPolicy.assertCan(this.context, "round:manage");
    const round = await this.loaders.round.load(parseId(id, argument));
    if (!round) throw notFound("JudgingRound", id);
    return round;
  }

  list(): Promise<JudgingRound[]> {
    judgingPolicy.assertCan(this.context, "round:manage");
    return this.repository.find({ order: { createdAt: "ASC", id: "ASC" } });
  }

  async create(input: CreateRoundInput): Promise<JudgingRound> {
    judgingPolicy.assertCan(this.context, "round:manage");
    const name = requiredText(input.name, "name");
    const quorum = checkQuorum(input.quorum ?? 3);
    const divisionId = input.divisionId ? parseId(input.divisionId, "divisionId") : null;
    if (divisionId && !(await venuesClient.existing("Division", [divisionId])).has(divisionId)) throw notFound("Division", divisionId);
    let previous: JudgingRound | null = null;
    if (input.previousRoundId) {
      previous = (await this.loaders.round.load(parseId(input.previousRoundId, "previousRoundId"))) ?? null;
      if (!previous) throw notFound("JudgingRound", input.previousRoundId);
      if (input.theme && previous.theme && input.theme !== previous.theme) {
        throw badInput(`The previous round covers ${previous.theme} only; a later round cannot cover ${input.theme}.`, { argument: "theme" });
      }
    }
    const round = this.repository.create({
      name,
      kind: input.kind,
      status: RoundStatus.DRAFT,
      theme: input.theme ?? previous?.theme ?? null,
      divisionId: divisionId ?? previous?.divisionId ?? null,
      previousRoundId: previous?.id ?? null,
      quorum,
      acceptanceCapPercent: checkCap(input.acceptanceCapPercent ?? 30),
      logLength: 0,
      logHeadHash: null,
      criteria: [],
      passVotes: null,
      scaleMin: null,
      scaleMax: null,
      scaleStep: null,
    });
    if (input.kind === RoundKind.SHORTLIST) {
      if (input.scale || input.criteria)
        throw badInput("A SHORTLIST round takes no scale or criteria: judges vote pass or fail.", { argument: input.scale ? "scale" : "criteria" });
      round.passVotes = checkPassVotes(input.passVotes ?? Math.floor(quorum / 2) + 1, quorum);
    } else {
      if (input.passVotes != null) throw badInput("passVotes applies to SHORTLIST rounds only.", { argument: "passVotes" });
      const scale = checkScale(input.scale ?? DEFAULT_SCALE);
      Object.assign(round, {
        scaleMin: scale.min,
        scaleMax: scale.max,
        scaleStep: scale.step,
        criteria: input.criteria ? checkCriteria(input.criteria) : DEFAULT_CRITERIA,
      });
    }
    return this.repository.save(round);
  }

  async update(input: UpdateRoundInput): Promise<JudgingRound> {
    const round = await this.require(input.id, "id");
    const draftOnly = [input.quorum, input.passVotes, input.scale, input.criteria].some((value) => value != null);
    if (draftOnly && round.status !== RoundStatus.DRAFT) {
      throw conflict(`The round is ${round.status}: its quorum, votes, scale and criteria can only change while DRAFT.`, { status: round.status });
    }
    if (input.name != null) round.name = requiredText(input.name, "name");
    if (input.acceptanceCapPercent != null) {
      if ((await publishedAwardCount(this.dataSource, round.id)) > 0)
        throw conflict("Awards from this round are published; unpublish them before changing the acceptance cap.");
      round.acceptanceCapPercent = checkCap(input.acceptanceCapPercent);
    }
    if (input.quorum != null) round.quorum = checkQuorum(input.quorum);
    if (round.kind === RoundKind.SHORTLIST) {
      if (input.scale || input.criteria) throw badInput("A SHORTLIST round takes no scale or criteria.", { argument: input.scale ? "scale" : "criteria" });
      if (input.passVotes != null || input.quorum != null) round.passVotes = checkPassVotes(input.passVotes ?? round.passVotes!, round.quorum);
    } else {
      if (input.passVotes != null) throw badInput("passVotes applies to SHORTLIST rounds only.", { argument: "passVotes" });
      if (input.scale) {
        const scale = checkScale(input.scale);
        Object.assign(round, { scaleMin: scale.min, scaleMax: scale.max, scaleStep: scale.step });
      }
      if (input.criteria) round.criteria = checkCriteria(input.criteria);
    }
    return this.repository.save(round);
  }

  /** Opens a DRAFT round to its judges: from now on they see (and can score) their assigned entries. */
  async open(id: string): Promise<JudgingRound> {
    const { id: roundId } = await this.require(id, "id");
    await this.dataSource.transaction(async (manager) => {
      const round = await this.lock(manager, roundId);
      if (round.status !== RoundStatus.DRAFT) throw conflict(`Only a DRAFT round can be opened; this one is ${round.status}.`, { status: round.status });
      const judges = await judgesWithAssignments(manager, round.id);
      if (!judges.length) throw conflict("The round has no assignments yet; run assignJudges first.");
      await markRoundOpened(manager, round.id);
      await syncJudgeGrants(manager, round.id, judges);
    });
    return this.repository.findOneByOrFail({ id: roundId });
  }

  /**
   * Closes an OPEN round; scores are final from then on. Unscored assignments need an explicit decision:
   * reassign them first (reassignUnscoredAssignments), or pass closeAnyway: true (they stay unscored and
   * the leaderboard's judgeCount shows it). Otherwise CONFLICT with extensions.unscoredAssignments.
   */
  async close(id: string, closeAnyway: boolean): Promise<JudgingRound> {
    const { id: roundId } = await this.require(id, "id");
    await this.dataSource.transaction(async (manager) => {
      const round = await this.lock(manager, roundId);
      if (round.status !== RoundStatus.OPEN) throw conflict(`Only an OPEN round can be closed; this one is ${round.status}.`, { status: round.status });
      const unscored = await unscoredAssignmentCount(manager, round.id);
      if (unscored > 0 && !closeAnyway) {
        throw conflict(
          `${unscored} assignments are not scored yet. Reassign them (reassignUnscoredAssignments) or close anyway (closeAnyway: true); the leaderboard then shows how many scores each entry has.`,
          { unscoredAssignments: unscored },
        );
      }
      await markRoundClosed(manager, round.id, unscored);
      // The head every later check and every partner compares with (issue #18).
      await fixScoreLogHead(manager, round, ScoreLogHeadReason.ROUND_CLOSED);
    });
    return this.repository.findOneByOrFail({ id: roundId });
  }

  /** Locks the round's row for the rest of the transaction (score appends, status changes, assignment changes). */
  async lock(manager: EntityManager, roundId: string): Promise<JudgingRound> {
    const round = await manager
      .getRepository(JudgingRound)
      .createQueryBuilder("round")
      .setLock("pessimistic_write")
      .where("round.id = :roundId", { roundId })
      .getOne();
    if (!round) throw notFound("JudgingRound", roundId);
    return round;
  }

  /** Progress of one round, or of every round (organisers). */
  async progress(roundId: string | null | undefined): Promise<JudgingProgress[]> {
    judgingPolicy.assertCan(this.context, "round:manage");
    const rounds = roundId ? [await this.require(roundId)] : await this.list();
    return Promise.all(rounds.map((round) => this.progressOf(round)));
  }

  async progressOf(round: JudgingRound): Promise<JudgingProgress> {
    judgingPolicy.assertCan(this.context, "round:manage");
    const counts = await this.loaders.roundCounts.load(round.id);
    const judges = await Promise.all(counts.judges.map(async (row) => ({ ...row, judge: (await this.loaders.judge.load(row.judgeId))! })));
    return { round, ...counts, judges };
  }

  /**
   * The entries a round covers now: SUBMITTED entries of its theme and division or, for a later round,
   * those of them that passed the previous (closed) round. Read from the entries and venues subgraphs.
   */
  async snapshotEntries(round: JudgingRound): Promise<RoundEntry[]> {
    let candidateIds: string[] | undefined;
    if (round.previousRoundId) {
      const previous = await this.loaders.round.load(round.previousRoundId);
      if (!previous || previous.status !== RoundStatus.CLOSED) throw conflict("The previous round must be CLOSED before this round's entries can be set.");
      candidateIds = (await this.rankedRows(this.dataSource.manager, previous)).filter((row) => row.accepted).map((row) => row.entryId);
    }
    const [facts, venues] = await Promise.all([
      entriesClient.entryFacts({ status: "SUBMITTED", theme: round.theme, ids: candidateIds }),
      venuesClient.venues(),
    ]);
    const entries: RoundEntry[] = [];
    for (const fact of facts) {
      if (round.theme && fact.theme !== round.theme) continue;
      const divisionId = venues.get(fact.venueId)?.divisionId ?? null;
      if (round.divisionId && divisionId !== round.divisionId) continue;
      entries.push({
        roundId: round.id,
        entryId: fact.id,
        theme: fact.theme,
        kind: fact.kind,
        venueId: fact.venueId,
        organizationId: fact.organizationId,
        divisionId,
      });
    }
    return entries.sort((a, b) => (a.entryId < b.entryId ? -1 : 1));
  }

  /** Every entry of a round with its scores, normalisation, rank and acceptance, in ranking order. */
  rankedRows(manager: EntityManager, round: JudgingRound): Promise<RankedRow[]> {
    return rankedRowsOf(manager, round);
  }
}
