import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { PageArguments } from "../../../lib/pagination";
import { Theme } from "../competition/competition.entity";
import type { EntriesContext } from "../context";
import { VenueReference } from "../venue/venue.type";
import { Entrant, Entry, MicroVideo, Photo } from "./entry.entity";
import { CreateEntryInput, EntryFilter, EntryStatsGroup } from "./entry.inputs";
import { EntryConnection, EntryStat } from "./entry.types";
import { maySeeIdentity, maySeePublishedIdentity, maySeeVenue } from "../entries.visibility";

@Resolver(() => Entry)
export class EntryResolver {
  @Query(() => EntryConnection, {
    description:
      "Entries the caller may see, newest first: organisers all; partners their organisation's; venues their own; judges their assignments; everyone the public ones.",
  })
  entries(
    @Arg("filter", () => EntryFilter, {
      nullable: true,
      description:
        "Optional conditions (venue, theme, kind, status, country); omit to list every entry you may see. Judges get FORBIDDEN for conditions on attributes hidden from them (venue, country).",
    })
    filter: EntryFilter | null,
    @Args() page: PageArguments,
    @Ctx() context: EntriesContext,
  ) {
    return context.entries.list(filter, page);
  }

  @Query(() => Entry, { nullable: true, description: "One entry by id; null when it does not exist or the caller may not see it." })
  entry(
    @Arg("id", () => ID, { description: "The entry's id (Entry.id). Returns null when it does not exist or you may not see it." }) id: string,
    @Ctx() context: EntriesContext,
  ) {
    return context.entries.get(id);
  }

  @Query(() => [EntryStat], {
    description: "Entry counts grouped by venue, theme, country, kind or status. Organisers: all entries; partners: their organisation's. Others: FORBIDDEN.",
  })
  entryStats(
    @Arg("groupBy", () => EntryStatsGroup, { description: "What to count by: VENUE, THEME, COUNTRY, KIND or STATUS." }) groupBy: EntryStatsGroup,
    @Ctx() context: EntriesContext,
  ) {
    return context.entries.stats(groupBy);
  }

  @Mutation(() => Entry, {
    description:
      "Creates a DRAFT entry for a photographer (venue or partner token; venueId must be one of its venues). Errors: BAD_USER_INPUT, FORBIDDEN, DEADLINE_PASSED, CONFLICT (idempotency key reused for another entry).",
  })
  createEntry(
    @Arg("input", { description: "The entry and its photographer. Pass an idempotencyKey so a retried request returns the same entry." })
    input: CreateEntryInput,
    @Ctx() context: EntriesContext,
  ) {
    return context.entries.create(input);
  }

  @Mutation(() => Entry, {
    description:
      "Sends a DRAFT entry with its media to the jury. A video still PROCESSING may be submitted (its streaming renditions follow); a FAILED one may not: remove it with removeVideo and upload it again. Errors: BAD_USER_INPUT (media missing), CONFLICT (not a draft, or the video is FAILED, with extensions.videoStatus), DEADLINE_PASSED, FORBIDDEN, NOT_FOUND.",
  })
  submitEntry(@Arg("id", () => ID, { description: "The draft's id (Entry.id)." }) id: string, @Ctx() context: EntriesContext) {
    return context.entries.submit(id);
  }

  @Mutation(() => Entry, { description: "Withdraws a DRAFT or SUBMITTED entry before the deadline. Errors: CONFLICT, DEADLINE_PASSED, FORBIDDEN, NOT_FOUND." })
  withdrawEntry(@Arg("id", () => ID, { description: "The entry's id (Entry.id)." }) id: string, @Ctx() context: EntriesContext) {
    return context.entries.withdraw(id);
  }

  @Mutation(() => Entry, {
    description: "Organiser only: disqualifies an entry, with a reason shown to its venue. Errors: BAD_USER_INPUT, CONFLICT, FORBIDDEN, NOT_FOUND.",
  })
  disqualifyEntry(
    @Arg("id", () => ID, { description: "The entry's id (Entry.id)." }) id: string,
    @Arg("reason", { description: "Why the entry is disqualified, at most 2000 characters; shown to its venue." }) reason: string,
    @Ctx() context: EntriesContext,
  ) {
    return context.entries.disqualify(id, reason);
  }

  @FieldResolver(() => Theme, { description: "The theme the entry competes in." })
  async theme(@Root() entry: Entry, @Ctx() context: EntriesContext) {
    return context.competitions.theme(entry.competitionId, entry.themeCode);
  }

  @FieldResolver(() => [Photo], { description: "The photos, in order (empty for a micro-video)." })
  photos(@Root() entry: Entry, @Ctx() context: EntriesContext) {
    return context.loaders.photosByEntry.load(entry.id);
  }

  @FieldResolver(() => MicroVideo, { nullable: true, description: "The video of a MICRO_VIDEO entry, once uploaded." })
  async video(@Root() entry: Entry, @Ctx() context: EntriesContext) {
    return (await context.loaders.videoByEntry.load(entry.id)) ?? null;
  }

  @FieldResolver(() => VenueReference, {
    nullable: true,
    description:
      "The branch venue the entry came through, for everyone who may see the entry: also for a public (awarded or exhibited) entry whose entrant refused publication, because awards and exhibitions name venues and the venue is the institution, not the entrant's personal data. Null for judges (blind judging).",
  })
  venue(@Root() entry: Entry, @Ctx() context: EntriesContext) {
    return maySeeVenue(context.viewer) ? { id: entry.venueId } : null;
  }

  @FieldResolver(() => Entrant, {
    nullable: true,
    description: "Identity and contact: organisers and the submitting venue or its organisation only; null for others.",
  })
  async entrant(@Root() entry: Entry, @Ctx() context: EntriesContext) {
    return maySeeIdentity(context.viewer, entry) ? ((await context.loaders.entrant.load(entry.entrantId)) ?? null) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The photographer's name as it may be published: for others than organisers and the owner, only with the entrant's consent to publication; null for judges.",
  })
  creditName(@Root() entry: Entry, @Ctx() context: EntriesContext) {
    return maySeePublishedIdentity(context.viewer, entry) ? entry.creditName : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The entrant's ISO country code, under the same rule as creditName; null for judges." })
  country(@Root() entry: Entry, @Ctx() context: EntriesContext) {
    return maySeePublishedIdentity(context.viewer, entry) ? entry.country : null;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: "Whether the entrant consented to publication; organisers and owners only." })
  consentToPublication(@Root() entry: Entry, @Ctx() context: EntriesContext) {
    return maySeeIdentity(context.viewer, entry) ? entry.consentToPublication : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "Why the entry was disqualified; organisers and owners only." })
  disqualificationReason(@Root() entry: Entry, @Ctx() context: EntriesContext) {
    return maySeeIdentity(context.viewer, entry) ? entry.disqualificationReason : null;
  }
}
