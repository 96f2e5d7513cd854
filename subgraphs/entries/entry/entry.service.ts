// Responsible for entries: who may read them, creating drafts idempotently, and the status rules
// (submit, withdraw, disqualify) with the competition's window and limits.
import { DataSource, EntityManager } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { parseCountry } from "../../../lib/country";
import { badInput, conflict, forbidden, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { keysetPage, Page, PageArgs } from "../../../lib/pagination";
import { optionalText, requiredText } from "../../../lib/text";
import { ThemeCode } from "../../../lib/themes";
import type { CompetitionService } from "../competition/competition.service";
import { entryCursor, EntriesLoaders, VenueEntriesArgs } from "../loaders";
import { Entry, EntryKind, EntryStatus, MediaStatus } from "./entry.entity";
import { CreateEntryInput, EntryFilter, EntryStatsGroup } from "./entry.inputs";
import { EntryStat } from "./entry.types";
import { entryIdByIdempotencyKey, entryStats, insertEntry, mediaOfEntry } from "./entry.store";
import { assertMaySelectBy, entriesPolicy, mayEdit, organizationScope, publishedIdentityReadable, restrictToVisible } from "../entries.visibility";
import { entryEvent } from "./entry-events";
import { recordEvent } from "../../../lib/events/outbox";
import { entriesTowardsCap, lockEmail, upsertEntrant } from "../entrant/entrant.store";

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export class EntryService {
  private readonly repository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: EntriesLoaders,
    private readonly context: RequestContext,
    private readonly competitions: CompetitionService,
  ) {
    this.repository = dataSource.getRepository(Entry);
  }

  list(filter: EntryFilter | null | undefined, args: PageArgs): Promise<Page<Entry>> {
    const query = restrictToVisible(this.repository.createQueryBuilder("entry"), "entry", this.context.viewer);
    if (filter?.venueId) {
      assertMaySelectBy(this.context.viewer, "venue", "filter.venueId");
      query.andWhere("entry.venue_id = :venueId", { venueId: parseId(filter.venueId, "filter.venueId") });
    }
    if (filter?.theme) query.andWhere("entry.theme_code = :theme", { theme: filter.theme });
    if (filter?.kind) query.andWhere("entry.kind = :kind", { kind: filter.kind });
    if (filter?.status) query.andWhere("entry.status = :status", { status: filter.status });
    if (filter?.country) {
      assertMaySelectBy(this.context.viewer, "country", "filter.country");
      // Only entries whose country the caller can read match: a non-consenting entrant's country stays unknown.
      const readable = publishedIdentityReadable(query, "entry", this.context.viewer);
      query.andWhere(`entry.country = :country AND ${readable}`, { country: parseCountry(filter.country, "filter.country") });
    }
    return keysetPage(query, { columns: ["entry.created_at", "entry.id"], direction: "DESC", cursorOf: entryCursor }, args);
  }

  async get(id: string): Promise<Entry | null> {
    return (await this.loaders.entry.load(parseId(id, "id"))) ?? null;
  }

  venueEntries(venueId: string, args: VenueEntriesArgs): Promise<Page<Entry>> {
    assertMaySelectBy(this.context.viewer, "venue", "Venue.entries");
    return this.loaders.entriesByVenue(args).load(venueId);
  }

  async create(input: CreateEntryInput): Promise<Entry> {
    const viewer = entriesPolicy.assertCan(this.context, "entry:create");
    const venueId = parseId(input.venueId, "venueId");
    if (!viewer.venueIds.includes(venueId)) throw forbidden("venueId is not one of the venues your token acts for.");
    const competition = await this.competitions.current();
    this.competitions.assertWindowOpen(competition);
    if (!(await this.competitions.theme(competition.id, input.theme)))
      throw badInput(`Theme ${input.theme} is not part of this competition.`, { argument: "theme" });
    if (input.consentToRules !== true) throw badInput("The entrant must accept the competition rules (consentToRules: true).", { argument: "consentToRules" });
    if (input.declaresNoGenerativeAi !== true) {
      throw badInput("Works made with generative AI are not accepted; the entrant must declare none was used (declaresNoGenerativeAi: true).", {
        argument: "declaresNoGenerativeAi",
      });
    }
    const email = requiredText(input.entrant?.email, "entrant.email", 320).toLowerCase();
    if (!EMAIL.test(email)) throw badInput("entrant.email must be an e-mail address.", { argument: "entrant.email" });
    const entrant = {
      name: requiredText(input.entrant.name, "entrant.name"),
      email,
      country: parseCountry(input.entrant.country, "entrant.country"),
      phone: optionalText(input.entrant.phone, "entrant.phone", 40),
    };
    const idempotencyKey = input.idempotencyKey ?? null;
    if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw badInput("idempotencyKey must be 8 to 128 letters, digits, dots, dashes, underscores or colons.", { argument: "idempotencyKey" });
    }
    const values = {
      title: requiredText(input.title, "title"),
      description: optionalText(input.description, "description", 5000),
      creditName: optionalText(input.creditName, "creditName", 200) ?? entrant.name,
    };

    const id = await this.dataSource.transaction(async (manager) => {
      const existing = idempotencyKey ? await entryIdByIdempotencyKey(manager, venueId, idempotencyKey) : undefined;
      if (existing) return existing;
      // The cap is the competition's (by e-mail, across organisations); the record is the organisation's own.
      // The lock makes concurrent entries for one address count the cap one at a time, whoever enters them.
      await lockEmail(manager, competition.id, entrant.email);
      const entrantId = await upsertEntrant(manager, { competitionId: competition.id, organizationId: viewer.organizationId!, ...entrant });
      const counted = await entriesTowardsCap(manager, competition.id, viewer.organizationId!, entrant.email, input.theme);
      if (counted >= competition.maxEntriesPerEntrantPerTheme) {
        // No count and nothing of another organisation's record: only the competition's rule.
        throw badInput(
          `This entrant has reached the limit of ${competition.maxEntriesPerEntrantPerTheme} entries in ${input.theme} (entries through every venue count).`,
          {
            argument: "entrant.email",
            limit: competition.maxEntriesPerEntrantPerTheme,
          },
        );
      }
      const inserted = await insertEntry(manager, {
        competitionId: competition.id,
        venueId,
        organizationId: viewer.organizationId,
        entrantId,
        theme: input.theme,
        kind: input.kind,
        title: values.title,
        description: values.description,
        creditName: values.creditName,
        country: entrant.country,
        consentToPublication: input.consentToPublication === true,
        idempotencyKey,
      });
      if (inserted) return inserted;
      // A concurrent request with the same key committed first: answer with its entry.
      return (await entryIdByIdempotencyKey(manager, venueId, idempotencyKey!))!;
    });
    const entry = await this.repository.findOneByOrFail({ id });
    if (idempotencyKey && (entry.title !== values.title || entry.themeCode !== input.theme || entry.kind !== input.kind)) {
      throw conflict("This idempotencyKey was already used for a different entry; use a new key for a new entry.", {
        argument: "idempotencyKey",
        entryId: entry.id,
      });
    }
    return entry;
  }

  /**
   * Runs a status change on a locked entry the caller owns (or any entry, for organisers).
   * An entry the caller cannot see is NOT_FOUND; one it can see but not change is FORBIDDEN.
   */
  private async change(id: string, apply: (entry: Entry, manager: EntityManager) => Promise<void>, organizerOnly = false): Promise<Entry> {
    const viewer = entriesPolicy.assertCan(this.context, organizerOnly ? "entry:disqualify" : "entry:change");
    const entryId = parseId(id, "id");
    return this.dataSource.transaction(async (manager) => {
      const entry = await manager
        .getRepository(Entry)
        .createQueryBuilder("entry")
        .setLock("pessimistic_write")
        .where("entry.id = :entryId", { entryId })
        .getOne();
      if (!entry || !mayEdit(viewer, entry)) {
        if (entry && (await this.loaders.entry.load(entry.id)))
          throw forbidden("Only the submitting venue, its organisation or an organiser can change this entry.");
        throw notFound("Entry", id);
      }
      await apply(entry, manager);
      return manager.getRepository(Entry).save(entry);
    });
  }

  async submit(id: string): Promise<Entry> {
    const competition = await this.competitions.current();
    return this.change(id, async (entry, manager) => {
      if (entry.status === EntryStatus.SUBMITTED) return;
      if (entry.status !== EntryStatus.DRAFT) throw conflict(`A ${entry.status} entry cannot be submitted.`, { status: entry.status });
      this.competitions.assertWindowOpen(competition);
      const { photos, videos, videoStatus, failureReason } = await mediaOfEntry(manager, entry.id);
      if (entry.kind === EntryKind.PHOTO_SET && (photos < competition.minPhotosPerSet || photos > competition.maxPhotosPerSet)) {
        throw badInput(
          `A photo set needs ${competition.minPhotosPerSet} to ${competition.maxPhotosPerSet} photos; this one has ${photos}. Upload with uploadPhotos first.`,
        );
      }
      if (entry.kind === EntryKind.SINGLE_PHOTO && photos !== 1) throw badInput(`A single-photo entry needs exactly one photo; this one has ${photos}.`);
      if (entry.kind === EntryKind.MICRO_VIDEO && videos !== 1) throw badInput("A micro-video entry needs its video; upload it with uploadVideo first.");
      // A FAILED video cannot be streamed to the jury, and once submitted it could no longer be replaced. A PROCESSING
      // one may be submitted: its renditions follow in the background (minutes at most, longer only when the queue is
      // long at the deadline rush), and the venue must not miss the deadline waiting for our queue.
      if (entry.kind === EntryKind.MICRO_VIDEO && videoStatus === MediaStatus.FAILED) {
        throw conflict(
          `The entry's video is FAILED and cannot be submitted: ${failureReason ?? "its streaming renditions could not be made."} Remove it with removeVideo, upload the file again, then submit.`,
          {
            videoStatus,
            failureReason,
          },
        );
      }
      entry.status = EntryStatus.SUBMITTED;
      entry.submittedAt = new Date();
      await recordEvent(manager, "entries", entryEvent("entry.submitted", entry));
    });
  }

  async withdraw(id: string): Promise<Entry> {
    const competition = await this.competitions.current();
    return this.change(id, async (entry, manager) => {
      if (entry.status === EntryStatus.WITHDRAWN) return;
      if (entry.status === EntryStatus.DISQUALIFIED) throw conflict("A disqualified entry cannot be withdrawn.", { status: entry.status });
      this.competitions.assertWindowOpen(competition);
      entry.status = EntryStatus.WITHDRAWN;
      entry.withdrawnAt = new Date();
      await recordEvent(manager, "entries", entryEvent("entry.withdrawn", entry));
    });
  }

  async disqualify(id: string, reason: string): Promise<Entry> {
    const text = requiredText(reason, "reason", 2000);
    return this.change(
      id,
      async (entry, manager) => {
        if (entry.status === EntryStatus.DISQUALIFIED) return;
        if (entry.status === EntryStatus.WITHDRAWN) throw conflict("A withdrawn entry cannot be disqualified.", { status: entry.status });
        entry.status = EntryStatus.DISQUALIFIED;
        entry.disqualifiedAt = new Date();
        entry.disqualificationReason = text;
        await recordEvent(manager, "entries", entryEvent("entry.disqualified", entry));
      },
      true,
    );
  }

  /** Internal facts for other subgraphs (service tokens): no identity, keyset-paged by id. */
  async facts(options: { ids: string[] | null; theme: ThemeCode | null; status: EntryStatus | null; afterId: string | null; first: number | null }) {
    entriesPolicy.assertCan(this.context, "entry:facts");
    const first = options.first ?? 1000;
    if (!Number.isInteger(first) || first < 1 || first > 5000) throw badInput("first must be between 1 and 5000.", { argument: "first" });
    const query = this.repository.createQueryBuilder("entry").orderBy("entry.id", "ASC").limit(first);
    if (options.ids) query.andWhere("entry.id = ANY(CAST(:ids AS uuid[]))", { ids: options.ids.map((id) => parseId(id, "ids")) });
    if (options.theme) query.andWhere("entry.theme_code = :theme", { theme: options.theme });
    if (options.status) query.andWhere("entry.status = :status", { status: options.status });
    if (options.afterId) query.andWhere("entry.id > :afterId", { afterId: parseId(options.afterId, "afterId") });
    const rows = await query.getMany();
    return rows.map((entry) => ({ ...entry, theme: entry.themeCode }));
  }

  /** Counts for organisers (all entries) and partners (their organisation's). */
  async stats(groupBy: EntryStatsGroup): Promise<EntryStat[]> {
    const viewer = entriesPolicy.assertCan(this.context, "entry:stats");
    return entryStats(this.dataSource, groupBy, organizationScope(viewer));
  }
}
