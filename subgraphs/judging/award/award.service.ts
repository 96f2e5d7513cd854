// Responsible for awards: proposing them from a closed round's leaderboard per theme and division, adjusting,
// publishing and unpublishing them (one award per entry per scope) and who may see them. Publishing asks the
// entries subgraph, by an event, to make the awarded entries public; awards are PUBLISHING until it has
// (judging.events.ts publishes them then), so an award is never public before its entry.
import { DataSource, EntityManager } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { judgingPolicy } from "../judging.visibility";
import { badInput, conflict, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { keysetPage, Page, PageArgs } from "../../../lib/pagination";
import { ThemeCode } from "../../../lib/themes";
import { isUniqueViolation } from "../../../lib/database";
import { recordEvent } from "../../../lib/events/outbox";
import { awardGrantSource, requestGrants } from "../judging-grants";
import { JudgingLoaders } from "../loaders";
import { JudgingRound, RoundKind, RoundStatus } from "../round/round.entity";
import { RoundService } from "../round/round.service";
import { Award, AWARD_TIER_ORDER_PARAMETER, AWARD_TIER_RANK_SQL, AwardTier, TIER_ORDER } from "./award.entity";
import { AddAwardInput, AwardTierCountInput, ProposeAwardsInput, UpdateAwardInput } from "./award.inputs";
import {
  AwardScope,
  awardableEntry,
  deleteAward,
  deleteUnpublishedAwardsOfScope,
  insertAwardAtEndOfTier,
  insertProposedAwards,
  lockAwardScope,
  lockRounds,
  markScopePublishRequested,
  markScopeUnpublished,
  placeAward,
  publicEntryIdsByRound,
  publishedAwardCountOfScope,
  recordPublishGrantVersion,
} from "./award.store";

const DEFAULT_TIERS: AwardTierCountInput[] = [
  { tier: AwardTier.GOLD, count: 1 },
  { tier: AwardTier.SILVER, count: 1 },
  { tier: AwardTier.BRONZE, count: 1 },
  { tier: AwardTier.HONOURABLE_MENTION, count: 3 },
];
const tierRank = (tier: AwardTier) => TIER_ORDER.indexOf(tier) + 1;
const DIVISION_KEY_SQL = "COALESCE(CAST(award.division_id AS text), '')";

export interface AwardFilter {
  theme?: ThemeCode | null;
  divisionId?: string | null;
  venueId?: string | null;
  includeUnpublished?: boolean | null;
}

export class AwardService {
  private readonly repository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: JudgingLoaders,
    private readonly context: RequestContext,
    private readonly rounds: RoundService,
  ) {
    this.repository = dataSource.getRepository(Award);
  }

  /** An award by id: published ones for everyone, unpublished ones for organisers only (root field and _entities). */
  async get(id: string): Promise<Award | null> {
    return (await this.loaders.award.load(id)) ?? null;
  }

  /** The round an award came from: organisers only. */
  async roundOf(award: Award): Promise<JudgingRound | null> {
    return judgingPolicy.can(this.context.viewer, "award:read-unpublished") ? ((await this.loaders.round.load(award.roundId)) ?? null) : null;
  }

  forEntry(entryId: string): Promise<Award[]> {
    return this.loaders.awardsByEntry.load(entryId);
  }

  forVenue(venueId: string): Promise<Award[]> {
    return this.loaders.awardsByVenue.load(venueId);
  }

  /** Published awards for everyone; organisers may include unpublished ones. By theme, scope, tier and position. */
  list(filter: AwardFilter, args: PageArgs): Promise<Page<Award>> {
    if (filter.includeUnpublished) judgingPolicy.assertCan(this.context, "award:read-unpublished");
    const query = this.repository.createQueryBuilder("award").setParameter(AWARD_TIER_ORDER_PARAMETER, TIER_ORDER);
    if (!filter.includeUnpublished) query.andWhere("award.published_at IS NOT NULL");
    if (filter.theme) query.andWhere("award.theme = :theme", { theme: filter.theme });
    if (filter.divisionId) query.andWhere("award.division_id = :divisionId", { divisionId: parseId(filter.divisionId, "divisionId") });
    if (filter.venueId) query.andWhere("award.venue_id = :venueId", { venueId: parseId(filter.venueId, "venueId") });
    return keysetPage(
      query,
      {
        columns: ["award.theme", DIVISION_KEY_SQL, AWARD_TIER_RANK_SQL, "award.position", "award.id"],
        direction: "ASC",
        cursorOf: (award) => [award.theme, award.divisionId ?? "", tierRank(award.tier), award.position, award.id],
      },
      args,
    );
  }

  /** Checks a round can give awards in a scope, and returns the scope. */
  private async awardingRound(roundId: string, theme: ThemeCode, divisionId: string | null | undefined): Promise<{ round: JudgingRound; scope: AwardScope }> {
    const round = await this.rounds.require(roundId);
    if (round.kind !== RoundKind.SCORE) throw badInput("Awards come from a SCORE round's leaderboard; this is a SHORTLIST round.", { argument: "roundId" });
    if (round.status !== RoundStatus.CLOSED) throw conflict(`Close the round before awarding; it is ${round.status}.`, { status: round.status });
    if (round.theme && round.theme !== theme) throw badInput(`This round covers ${round.theme} only.`, { argument: "theme" });
    const division = divisionId ? parseId(divisionId, "divisionId") : null;
    if (round.divisionId && division !== round.divisionId) {
      throw badInput("This round covers one division only: give its divisionId.", { argument: "divisionId", divisionId: round.divisionId });
    }
    return { round, scope: { theme, divisionId: division } };
  }

  /** Serialises changes to one scope and refuses them once it is published. */
  private async lockScope(manager: EntityManager, scope: AwardScope, allowPublished = false): Promise<void> {
    await lockAwardScope(manager, scope);
    if (allowPublished) return;
    if ((await publishedAwardCountOfScope(manager, scope)) > 0)
      throw conflict("This scope's awards are published; unpublish them (unpublishAwards) before changing them.");
  }

  private scopeAwards(manager: EntityManager, scope: AwardScope): Promise<Award[]> {
    return manager
      .getRepository(Award)
      .createQueryBuilder("award")
      .where("award.theme = :theme", { theme: scope.theme })
      .andWhere(scope.divisionId ? "award.division_id = :divisionId" : "award.division_id IS NULL", { divisionId: scope.divisionId })
      .orderBy(AWARD_TIER_RANK_SQL)
      .setParameter(AWARD_TIER_ORDER_PARAMETER, TIER_ORDER)
      .addOrderBy("award.position")
      .addOrderBy("award.id")
      .getMany();
  }

  async propose(input: ProposeAwardsInput): Promise<Award[]> {
    const { round, scope } = await this.awardingRound(input.roundId, input.theme, input.divisionId);
    const tiers = input.tiers ?? DEFAULT_TIERS;
    const counts = new Map<AwardTier, number>();
    for (const { tier, count } of tiers) {
      if (counts.has(tier)) throw badInput(`Tier ${tier} is listed twice.`, { argument: "tiers" });
      if (!Number.isInteger(count) || count < 0 || count > 100) throw badInput(`The count for ${tier} must be between 0 and 100.`, { argument: "tiers" });
      counts.set(tier, count);
    }
    const slots = TIER_ORDER.flatMap((tier) => Array.from({ length: counts.get(tier) ?? 0 }, (_unused, index) => ({ tier, position: index + 1 })));
    return this.dataSource.transaction(async (manager) => {
      await this.lockScope(manager, scope);
      await deleteUnpublishedAwardsOfScope(manager, scope);
      const best = slots.length
        ? (await this.rounds.rankedRows(manager, round))
            .filter((row) => row.accepted && row.theme === scope.theme && (!scope.divisionId || row.divisionId === scope.divisionId))
            .slice(0, slots.length)
        : [];
      const awarded = best.map((entry, index) => ({ ...entry, ...slots[index] }));
      if (awarded.length) {
        try {
          await insertProposedAwards(manager, round.id, scope, awarded);
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict("An entry already holds an award in this scope from another round; remove it first.");
          throw error;
        }
      }
      return this.scopeAwards(manager, scope);
    });
  }

  async add(input: AddAwardInput): Promise<Award> {
    const entryId = parseId(input.entryId, "entryId");
    const round = await this.rounds.require(input.roundId);
    const entry = await awardableEntry(this.dataSource, round.id, entryId);
    if (!entry) throw badInput("This entry is not part of the round.", { argument: "entryId" });
    const { scope } = await this.awardingRound(round.id, entry.theme, input.divisionId);
    if (scope.divisionId && entry.divisionId !== scope.divisionId) throw badInput("The entry's venue is not in this division.", { argument: "divisionId" });
    const accepted = (await this.rounds.rankedRows(this.dataSource.manager, round)).find((row) => row.entryId === entryId)?.accepted;
    if (!accepted) throw badInput("Only entries accepted in the round (within the acceptance cap) can receive an award.", { argument: "entryId" });
    const id = await this.dataSource.transaction(async (manager) => {
      await this.lockScope(manager, scope);
      try {
        return await insertAwardAtEndOfTier(manager, { roundId: round.id, entryId, scope, venueId: entry.venueId, tier: input.tier });
      } catch (error) {
        if (isUniqueViolation(error))
          throw conflict("The entry already holds an award in this scope (one award per entry per scope).", { argument: "entryId" });
        throw error;
      }
    });
    return this.repository.findOneByOrFail({ id });
  }

  async update(input: UpdateAwardInput): Promise<Award> {
    judgingPolicy.assertCan(this.context, "award:manage");
    const award = await this.repository.findOneBy({ id: parseId(input.id, "id") });
    if (!award) throw notFound("Award", input.id);
    if (input.position != null && (!Number.isInteger(input.position) || input.position < 1 || input.position > 1000)) {
      throw badInput("position must be between 1 and 1000.", { argument: "position" });
    }
    await this.dataSource.transaction(async (manager) => {
      await this.lockScope(manager, award);
      await placeAward(manager, award.id, input.tier ?? award.tier, input.position ?? award.position);
    });
    return this.repository.findOneByOrFail({ id: award.id });
  }

  async remove(id: string): Promise<boolean> {
    judgingPolicy.assertCan(this.context, "award:manage");
    const award = await this.repository.findOneBy({ id: parseId(id, "id") });
    if (!award) throw notFound("Award", id);
    await this.dataSource.transaction(async (manager) => {
      await this.lockScope(manager, award);
      await deleteAward(manager, award.id);
    });
    return true;
  }

  /**
   * Publishes every award of a scope: accepted at once, the awards are PUBLISHING until the entries service has
   * made their entries public, then PUBLISHED (and partners hear of it, awards.published).
   */
  async publish(theme: ThemeCode, divisionId: string | null | undefined): Promise<Award[]> {
    return this.setPublished({ theme, divisionId: divisionId ? parseId(divisionId, "divisionId") : null }, true);
  }

  /** Takes a scope's awards back from the public at once; their entries stop being public shortly after. */
  async unpublish(theme: ThemeCode, divisionId: string | null | undefined): Promise<Award[]> {
    return this.setPublished({ theme, divisionId: divisionId ? parseId(divisionId, "divisionId") : null }, false);
  }

  private async setPublished(scope: AwardScope, published: boolean): Promise<Award[]> {
    judgingPolicy.assertCan(this.context, "award:manage");
    return this.dataSource.transaction(async (manager) => {
      await this.lockScope(manager, scope, true);
      const awards = await this.scopeAwards(manager, scope);
      if (!awards.length) throw notFound(`Awards for ${scope.theme}${scope.divisionId ? ` in division ${scope.divisionId}` : ""}`);
      // The award grant of a round covers every scope of it: lock the rounds so requests are numbered in commit order.
      const roundIds = [...new Set(awards.map((award) => award.roundId))].sort();
      await lockRounds(manager, roundIds);
      if (published) {
        await markScopePublishRequested(manager, scope);
      } else {
        await markScopeUnpublished(manager, scope);
        if (awards.some((award) => award.publishedAt !== null)) {
          await recordEvent(manager, "judging", {
            type: "awards.unpublished",
            organizationIds: [],
            payload: { theme: scope.theme, divisionId: scope.divisionId, entryIds: awards.map((award) => award.entryId) },
          });
        }
      }
      await this.requestPublicGrants(manager, roundIds);
      return this.scopeAwards(manager, scope);
    });
  }

  /**
   * Asks for exactly the entries holding a published or publishing award of each round to be public (replace-set per
   * round); awards still waiting remember the request that will publish them.
   */
  private async requestPublicGrants(manager: EntityManager, roundIds: string[]): Promise<void> {
    for (const row of await publicEntryIdsByRound(manager, roundIds)) {
      const version = await requestGrants(manager, awardGrantSource(row.roundId), [{ public: true, entryIds: row.entryIds }]);
      await recordPublishGrantVersion(manager, row.roundId, version);
    }
  }
}
