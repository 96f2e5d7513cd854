// Responsible for exhibitions: who may read and edit them, creating and changing them, and publishing and archiving
// them. Publishing asks the entries subgraph, by an event, to make the works' entries public; the exhibition is
// PUBLISHING until that is done (exhibition-grants.ts), so it is never visible before its entries are.
import { DataSource, EntityManager } from "typeorm";
import { Viewer } from "../../../lib/auth";
import { RequestContext } from "../../../lib/context";
import { isUniqueViolation } from "../../../lib/database";
import { badInput, conflict, forbidden, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { LocalizedText } from "../../../lib/i18n";
import { recordEvent } from "../../../lib/events/outbox";
import { keysetPage, Page, PageArgs } from "../../../lib/pagination";
import { EntryFact, whyNotShowable } from "../entry/entry.client";
import { grantsPublicly, recordExhibitionChanged, requestPublicGrants } from "./exhibition-grants";
import type { ExhibitionsLoaders } from "../loaders";
import { unknownVenueIds } from "../venue/venue.client";
import { localize, parseLocale, parseTranslations } from "./exhibition.translations";
import { Exhibition, ExhibitionHostVenue, ExhibitionKind, ExhibitionStatus } from "./exhibition.entity";
import { CreateExhibitionInput, ExhibitionFilter, UpdateExhibitionInput } from "./exhibition.inputs";
import { editsOwnOrganizationOnly, exhibitionsPolicy, mayEdit, maySee, restrictToVisible } from "../exhibitions.visibility";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_HOST_VENUES = 60;
export const TITLE_MAX = 200;
export const LONG_TEXT_MAX = 5000;

/** Equal texts in every language (jsonb does not keep the order keys were given in). */
function sameText(a: LocalizedText, b: LocalizedText): boolean {
  const keys = Object.keys(a).sort();
  return keys.join() === Object.keys(b).sort().join() && keys.every((key) => a[key] === b[key]);
}

/** One refused work: which entry, and why it may not be shown. */
export interface RefusedEntry {
  entryId: string;
  reason: string;
}

/** Why an entry may not be shown in this exhibition, or null: the entries service's facts plus the owner's scope. */
export function whyNotInExhibition(exhibition: Pick<Exhibition, "organizationId">, fact: EntryFact | undefined): string | null {
  const reason = whyNotShowable(fact);
  if (reason) return reason;
  // An organisation's exhibition shows that organisation's entries, so its partners can see every work they show.
  if (exhibition.organizationId && fact!.organizationId !== exhibition.organizationId) {
    return "the entry came through another organisation's venue; an organisation's exhibition shows only its own entries";
  }
  return null;
}

/** A readable message for refused entries, naming the first few. */
export function refusalMessage(prefix: string, refused: RefusedEntry[]): string {
  const listed = refused.slice(0, 5).map((item) => `entry ${item.entryId}: ${item.reason}`);
  const more = refused.length > 5 ? ` (and ${refused.length - 5} more, see extensions.refused)` : "";
  return `${prefix} ${listed.join("; ")}${more}.`;
}

export class ExhibitionService {
  private readonly repository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: ExhibitionsLoaders,
    private readonly context: RequestContext,
  ) {
    this.repository = dataSource.getRepository(Exhibition);
  }

  async list(filter: ExhibitionFilter | null | undefined, args: PageArgs): Promise<Page<Exhibition>> {
    const query = restrictToVisible(this.repository.createQueryBuilder("exhibition"), "exhibition", this.context.viewer);
    if (filter?.status) query.andWhere("exhibition.status = :status", { status: filter.status });
    if (filter?.kind) query.andWhere("exhibition.kind = :kind", { kind: filter.kind });
    if (filter?.hostVenueId) {
      query.andWhere(
        "EXISTS (SELECT 1 FROM exhibitions.exhibition_host_venue host WHERE host.exhibition_id = exhibition.id AND host.venue_id = :hostVenueId)",
        { hostVenueId: parseId(filter.hostVenueId, "filter.hostVenueId") },
      );
    }
    const page = await keysetPage(
      query,
      { columns: ["exhibition.created_at", "exhibition.id"], direction: "DESC", cursorOf: (row) => [row.createdAt.toISOString(), row.id] },
      args,
    );
    this.loaders.remember(page.edges.map((edge) => edge.node));
    return page;
  }

  async get(id: string | null | undefined, slug: string | null | undefined): Promise<Exhibition | null> {
    if ((id == null) === (slug == null)) throw badInput("Pass exactly one of id or slug.");
    if (id != null) return (await this.loaders.exhibition.load(parseId(id, "id"))) ?? null;
    return (await this.loaders.exhibitionBySlug.load(String(slug).trim().toLowerCase())) ?? null;
  }

  /** A text of an exhibition (or of its section or work) in the reader's language, falling back to the exhibition's default. */
  async text(text: LocalizedText, exhibitionId: string, locale: string | null | undefined): Promise<string | null> {
    const fallback = (await this.loaders.defaultLocale.load(exhibitionId)) ?? "en";
    return localize(text, locale, this.context.locales, fallback);
  }

  async hostVenues(exhibition: Exhibition): Promise<{ id: string }[]> {
    return (await this.loaders.hostVenues.load(exhibition.id)).map((row) => ({ id: row.venueId }));
  }

  /** The organisation that owns the exhibition: shown to those who may edit it. */
  organization(exhibition: Exhibition): { id: string } | null {
    return exhibition.organizationId && mayEdit(this.context.viewer, exhibition) ? { id: exhibition.organizationId } : null;
  }

  /** Exhibitions visible to the caller that show the entry. */
  forEntry(entryId: string): Promise<Exhibition[]> {
    return this.loaders.exhibitionsByEntry.load(entryId);
  }

  /** Exhibitions visible to the caller that the venue hosts. */
  forVenue(venueId: string): Promise<Exhibition[]> {
    return this.loaders.exhibitionsByVenue.load(venueId);
  }

  /** An editor: an organiser, or a partner (for its own organisation's exhibitions). */
  editor(): Viewer {
    return exhibitionsPolicy.assertCan(this.context, "exhibition:edit");
  }

  /**
   * Locks an exhibition for a change and checks the caller may make it. Every change to an exhibition, its sections
   * or its works goes through this lock, so changes (and the grants they send) happen one at a time per exhibition.
   * One the caller cannot see is NOT_FOUND; one it can see but not edit is FORBIDDEN.
   */
  async lockForEdit(manager: EntityManager, id: string, argument = "id"): Promise<Exhibition> {
    const viewer = this.editor();
    const exhibitionId = parseId(id, argument);
    const exhibition = await manager
      .getRepository(Exhibition)
      .createQueryBuilder("exhibition")
      .setLock("pessimistic_write")
      .where("exhibition.id = :exhibitionId", { exhibitionId })
      .getOne();
    if (!exhibition || !mayEdit(viewer, exhibition)) {
      if (exhibition && maySee(viewer, exhibition)) throw forbidden("Only organisers and the organisation that owns this exhibition can change it.");
      throw notFound("Exhibition", id);
    }
    return exhibition;
  }

  /** The entries of the exhibition's works on show. */
  async currentEntryIds(manager: EntityManager, exhibitionId: string): Promise<string[]> {
    const rows: { entry_id: string }[] = await manager.query(
      `SELECT entry_id FROM exhibitions.exhibited_work WHERE exhibition_id = $1 AND removed_at IS NULL ORDER BY position`,
      [exhibitionId],
    );
    return rows.map((row) => row.entry_id);
  }

  private parseSlug(value: string): string {
    const slug = String(value).trim().toLowerCase();
    if (slug.length < 3 || slug.length > 100 || !SLUG.test(slug)) {
      throw badInput('slug must be 3 to 100 lower-case letters, digits and single dashes, e.g. "harmonious-co-existence".', { argument: "slug" });
    }
    return slug;
  }

  private parseTitle(input: CreateExhibitionInput["title"], defaultLocale: string): LocalizedText {
    const title = parseTranslations(input, "title", TITLE_MAX);
    if (!title[defaultLocale]) throw badInput(`title must be given in the default language (${defaultLocale}).`, { argument: "title" });
    return title;
  }

  /**
   * Validates host venues: ONSITE needs one; a partner may only name its own venues, and at least one
   * (partners create exhibitions at their own venues). Venues not in the caller's token are checked with the venues service.
   */
  private async parseHostVenues(ids: string[], kind: ExhibitionKind, viewer: Viewer): Promise<string[]> {
    const venueIds = ids.map((id) => parseId(id, "hostVenueIds"));
    if (new Set(venueIds).size !== venueIds.length) throw badInput("hostVenueIds names a venue twice.", { argument: "hostVenueIds" });
    if (venueIds.length > MAX_HOST_VENUES) throw badInput(`At most ${MAX_HOST_VENUES} host venues.`, { argument: "hostVenueIds" });
    if (kind === ExhibitionKind.ONSITE && venueIds.length === 0) throw badInput("An ONSITE exhibition needs at least one host venue.", { argument: "hostVenueIds" });
    if (editsOwnOrganizationOnly(viewer)) {
      if (venueIds.length === 0) throw badInput("A partner's exhibition needs at least one of its own venues as host.", { argument: "hostVenueIds" });
      const foreign = venueIds.filter((id) => !viewer.venueIds.includes(id));
      if (foreign.length) throw forbidden(`Partners can host exhibitions only at their own venues; not yours: ${foreign.join(", ")}.`);
    }
    const unknown = await unknownVenueIds(venueIds.filter((id) => !viewer.venueIds.includes(id)));
    if (unknown.length) throw notFound("Venue", unknown[0]);
    return venueIds;
  }

  private checkDates(opensAt: Date | null, closesAt: Date | null): void {
    for (const [name, value] of [["opensAt", opensAt], ["closesAt", closesAt]] as const) {
      if (value && Number.isNaN(value.getTime())) throw badInput(`${name} is not a valid date.`, { argument: name });
    }
    if (opensAt && closesAt && opensAt >= closesAt) throw badInput("closesAt must be after opensAt.", { argument: "closesAt" });
  }

  private async saveHostVenues(manager: EntityManager, exhibitionId: string, venueIds: string[]): Promise<void> {
    await manager.delete(ExhibitionHostVenue, { exhibitionId });
    if (venueIds.length) await manager.insert(ExhibitionHostVenue, venueIds.map((venueId, index) => ({ exhibitionId, venueId, position: index + 1 })));
  }

  private slugTaken(slug: string): never {
    throw conflict(`The slug "${slug}" is already used by another exhibition; choose another.`, { argument: "slug" });
  }

  async create(input: CreateExhibitionInput): Promise<Exhibition> {
    const viewer = this.editor();
    const slug = this.parseSlug(input.slug);
    const defaultLocale = parseLocale(input.defaultLocale, "defaultLocale");
    const titleText = this.parseTitle(input.title, defaultLocale);
    const descriptionText = parseTranslations(input.description, "description", LONG_TEXT_MAX);
    const opensAt = input.opensAt ?? null;
    const closesAt = input.closesAt ?? null;
    this.checkDates(opensAt, closesAt);
    let organizationId: string | null;
    if (editsOwnOrganizationOnly(viewer)) {
      if (input.organizationId && parseId(input.organizationId, "organizationId") !== viewer.organizationId) {
        throw forbidden("A partner creates exhibitions for its own organisation only.");
      }
      organizationId = viewer.organizationId!;
    } else {
      organizationId = input.organizationId ? parseId(input.organizationId, "organizationId") : null;
    }
    const hostVenueIds = await this.parseHostVenues(input.hostVenueIds ?? [], input.kind, viewer);
    try {
      const id = await this.dataSource.transaction(async (manager) => {
        const { identifiers } = await manager.insert(Exhibition, {
          slug,
          organizationId,
          kind: input.kind,
          status: ExhibitionStatus.DRAFT,
          defaultLocale,
          titleText,
          descriptionText,
          opensAt,
          closesAt,
          createdBy: viewer.subject,
        });
        const exhibitionId = identifiers[0].id as string;
        await this.saveHostVenues(manager, exhibitionId, hostVenueIds);
        return exhibitionId;
      });
      return this.loaders.remember([await this.repository.findOneByOrFail({ id })])[0];
    } catch (error) {
      if (!isUniqueViolation(error, "exhibition_slug_unique")) throw error;
      // The slug doubles as the idempotency key: a retried create by the same caller gets the exhibition it made.
      const existing = await this.repository.findOneBy({ slug });
      const retried =
        existing?.createdBy === viewer.subject &&
        existing.status === ExhibitionStatus.DRAFT &&
        existing.kind === input.kind &&
        sameText(existing.titleText, titleText);
      if (retried) return this.loaders.remember([existing])[0];
      this.slugTaken(slug);
    }
  }

  async update(input: UpdateExhibitionInput): Promise<Exhibition> {
    const viewer = this.editor();
    // Host venues are checked with the venues service before the transaction opens (no call while locks are held).
    let hostVenueIds: string[] | undefined;
    if (input.hostVenueIds != null) {
      const current = await this.repository.findOneBy({ id: parseId(input.id, "id") });
      if (!current || !maySee(viewer, current)) throw notFound("Exhibition", input.id);
      hostVenueIds = await this.parseHostVenues(input.hostVenueIds, input.kind ?? current.kind, viewer);
    }
    try {
      const exhibition = await this.dataSource.transaction(async (manager) => {
        const exhibition = await this.lockForEdit(manager, input.id);
        if (input.slug != null) exhibition.slug = this.parseSlug(input.slug);
        if (input.kind != null) exhibition.kind = input.kind;
        if (input.defaultLocale != null) exhibition.defaultLocale = parseLocale(input.defaultLocale, "defaultLocale");
        if (input.title != null) exhibition.titleText = parseTranslations(input.title, "title", TITLE_MAX);
        if (!exhibition.titleText[exhibition.defaultLocale]) {
          throw badInput(`title must be given in the default language (${exhibition.defaultLocale}).`, { argument: "title" });
        }
        if (input.description !== undefined) exhibition.descriptionText = parseTranslations(input.description, "description", LONG_TEXT_MAX);
        if (input.opensAt !== undefined) exhibition.opensAt = input.opensAt;
        if (input.closesAt !== undefined) exhibition.closesAt = input.closesAt;
        this.checkDates(exhibition.opensAt, exhibition.closesAt);
        if (hostVenueIds) {
          if (exhibition.kind === ExhibitionKind.ONSITE && hostVenueIds.length === 0) {
            throw badInput("An ONSITE exhibition needs at least one host venue.", { argument: "hostVenueIds" });
          }
          await this.saveHostVenues(manager, exhibition.id, hostVenueIds);
        } else if (input.kind === ExhibitionKind.ONSITE) {
          const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM exhibitions.exhibition_host_venue WHERE exhibition_id = $1`, [exhibition.id]);
          if (count === 0) throw badInput("An ONSITE exhibition needs at least one host venue.", { argument: "hostVenueIds" });
        }
        const saved = await manager.getRepository(Exhibition).save(exhibition);
        await recordExhibitionChanged(manager, saved);
        return saved;
      });
      return this.loaders.remember([exhibition])[0];
    } catch (error) {
      if (isUniqueViolation(error, "exhibition_slug_unique")) this.slugTaken(String(input.slug).trim().toLowerCase());
      throw error;
    }
  }

  /**
   * Publishes (or re-publishes, which also re-sends the grants). Accepted at once, without waiting for the entries
   * service: the exhibition is PUBLISHING until the entries of its works are public, then PUBLISHED. Works were
   * checked when added, and an entry that leaves the competition leaves every exhibition (exhibitions.events.ts).
   */
  async publish(id: string): Promise<Exhibition> {
    const exhibition = await this.dataSource.transaction(async (manager) => {
      const exhibition = await this.lockForEdit(manager, id);
      const entryIds = await this.currentEntryIds(manager, exhibition.id);
      if (entryIds.length === 0) throw conflict("An exhibition needs at least one work before it can be published; add works with addExhibitedWorks.");
      if (exhibition.status !== ExhibitionStatus.PUBLISHED) exhibition.status = ExhibitionStatus.PUBLISHING;
      exhibition.archivedAt = null;
      const saved = await manager.getRepository(Exhibition).save(exhibition);
      await requestPublicGrants(manager, saved);
      return saved;
    });
    return this.loaders.remember([exhibition])[0];
  }

  /**
   * Archives: the exhibition disappears for the public at once, and its entries stop being public as soon as the
   * entries service has applied the (empty) grant. Archiving an archived exhibition changes nothing.
   */
  async archive(id: string): Promise<Exhibition> {
    const exhibition = await this.dataSource.transaction(async (manager) => {
      const exhibition = await this.lockForEdit(manager, id);
      if (exhibition.status === ExhibitionStatus.ARCHIVED) return exhibition;
      const granted = grantsPublicly(exhibition.status) || exhibition.publishedAt !== null;
      exhibition.status = ExhibitionStatus.ARCHIVED;
      exhibition.archivedAt = new Date();
      const saved = await manager.getRepository(Exhibition).save(exhibition);
      if (granted) {
        await requestPublicGrants(manager, saved);
        await recordEvent(manager, "exhibitions", { type: "exhibition.archived", organizationIds: [], payload: { exhibitionId: saved.id, slug: saved.slug } });
      }
      return saved;
    });
    return this.loaders.remember([exhibition])[0];
  }
}
