// Responsible for the works an exhibition shows: only entries the entries service says may be shown, their order,
// sections and captions, and their removal (by a curator, or at once when the entry leaves the competition). Each
// change to a published exhibition records the grant request and the change event in its own transaction.
import { DataSource, EntityManager, In } from "typeorm";
import { RequestContext } from "../../../lib/context";
import { badInput, conflict, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { Page } from "../../../lib/pagination";
import { fetchEntryFacts } from "../entry/entry.client";
import { grantsPublicly, nextGrantVersion, recordExhibitionChanged, requestPublicGrants } from "../exhibition/exhibition-grants";
import { parseTranslations } from "../exhibition/exhibition.translations";
import { Exhibition } from "../exhibition/exhibition.entity";
import { ExhibitionService, LONG_TEXT_MAX, RefusedEntry, refusalMessage, whyNotInExhibition } from "../exhibition/exhibition.service";
import { ExhibitionSection } from "../exhibition-section/exhibition-section.entity";
import type { ExhibitionsLoaders, WorksPageArgs } from "../loaders";
import { ExhibitedWork, WorkRemovalReason } from "./exhibited-work.entity";
import { AddExhibitedWorksInput, UpdateExhibitedWorkInput } from "./exhibited-work.inputs";
import { applyWorkOrder, compactPositions, markWorkRemoved, shiftForMove, worksOnShowCount, worksOnShowIds } from "./exhibited-work.store";

const MAX_WORKS_PER_CALL = 500;
/** Well above the ~100 works of a curated exhibition; keeps one grant call and one reorder list reasonable. */
const MAX_WORKS_PER_EXHIBITION = 2000;

export class ExhibitedWorkService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: ExhibitionsLoaders,
    private readonly context: RequestContext,
    private readonly exhibitions: ExhibitionService,
  ) {}

  works(exhibition: Exhibition, args: WorksPageArgs): Promise<Page<ExhibitedWork>> {
    const sectionId = args.sectionId ? parseId(args.sectionId, "sectionId") : null;
    return this.loaders.worksByExhibition({ first: args.first, after: args.after, sectionId }).load(exhibition.id);
  }

  async get(id: string): Promise<ExhibitedWork | null> {
    return (await this.loaders.work.load(parseId(id, "id"))) ?? null;
  }

  async section(work: ExhibitedWork): Promise<ExhibitionSection | null> {
    if (!work.sectionId) return null;
    return (await this.loaders.sectionsByExhibition.load(work.exhibitionId)).find((section) => section.id === work.sectionId) ?? null;
  }

  async exhibition(work: ExhibitedWork): Promise<Exhibition> {
    const exhibition = await this.loaders.exhibition.load(work.exhibitionId);
    if (!exhibition) throw notFound("Exhibition", work.exhibitionId);
    return exhibition;
  }

  /** Whether the visitor has liked the work (the same visitor id as passed to likeWork). */
  async likedBy(work: ExhibitedWork, visitorId: string): Promise<boolean> {
    return Boolean(await this.loaders.likedByVisitor(visitorId).load(work.id));
  }

  /** A work on show whose exhibition the caller may edit, locked through its exhibition. */
  private async lockWork(manager: EntityManager, id: string): Promise<{ work: ExhibitedWork; exhibition: Exhibition }> {
    const workId = parseId(id, "id");
    const found = await manager.getRepository(ExhibitedWork).findOneBy({ id: workId });
    if (!found) throw notFound("Work", id);
    const exhibition = await this.exhibitions.lockForEdit(manager, found.exhibitionId).catch((error) => {
      if (error?.extensions?.code === "NOT_FOUND") throw notFound("Work", id);
      throw error;
    });
    // Read again under the lock: a concurrent change may have moved or removed it.
    const work = await manager.getRepository(ExhibitedWork).findOneBy({ id: workId });
    if (!work || work.removedAt) throw notFound("Work", id);
    return { work, exhibition };
  }

  private async sectionOf(manager: EntityManager, exhibition: Exhibition, sectionId: string | null | undefined, argument: string): Promise<string | null> {
    if (!sectionId) return null;
    const id = parseId(sectionId, argument);
    const section = await manager.getRepository(ExhibitionSection).findOneBy({ id, exhibitionId: exhibition.id });
    if (!section) throw notFound("Section of this exhibition", sectionId);
    return id;
  }

  /**
   * Appends works, all or none. Each entry must be showable (asked of the entries service before the transaction
   * opens) and not already on show; a refusal names each entry and why. On a published exhibition the new works
   * show once the entries service has made their entries public (their grant_version is applied).
   */
  async add(input: AddExhibitedWorksInput): Promise<ExhibitedWork[]> {
    const viewer = this.exhibitions.editor();
    if (input.works.length === 0 || input.works.length > MAX_WORKS_PER_CALL) {
      throw badInput(`Give 1 to ${MAX_WORKS_PER_CALL} works per call.`, { argument: "works" });
    }
    const entryIds = input.works.map((work) => parseId(work.entryId, "works.entryId"));
    const twice = entryIds.filter((id, index) => entryIds.indexOf(id) !== index);
    if (twice.length) throw badInput(`works names entry ${twice[0]} twice.`, { argument: "works" });
    const captions = input.works.map((work) => parseTranslations(work.caption, "works.caption", LONG_TEXT_MAX));
    const facts = await fetchEntryFacts(entryIds);
    return this.dataSource.transaction(async (manager) => {
      const exhibition = await this.exhibitions.lockForEdit(manager, input.exhibitionId, "exhibitionId");
      const sections = await manager.getRepository(ExhibitionSection).findBy({ exhibitionId: exhibition.id });
      const sectionIds = input.works.map((work) => {
        if (!work.sectionId) return null;
        const id = parseId(work.sectionId, "works.sectionId");
        if (!sections.some((section) => section.id === id)) throw notFound("Section of this exhibition", work.sectionId);
        return id;
      });
      const current = await this.exhibitions.currentEntryIds(manager, exhibition.id);
      const already = entryIds.filter((id) => current.includes(id));
      if (already.length) {
        throw conflict(`Already on show in this exhibition: entry ${already.join(", ")}.`, { entryIds: already });
      }
      if (current.length + entryIds.length > MAX_WORKS_PER_EXHIBITION) {
        throw badInput(`An exhibition shows at most ${MAX_WORKS_PER_EXHIBITION} works; it has ${current.length}.`, { argument: "works" });
      }
      const refused = entryIds
        .map((entryId) => ({ entryId, reason: whyNotInExhibition(exhibition, facts.get(entryId)) }))
        .filter((item): item is RefusedEntry => item.reason !== null);
      if (refused.length) throw badInput(refusalMessage("These entries cannot be shown:", refused), { argument: "works", refused });
      const start = current.length;
      const grantVersion = grantsPublicly(exhibition.status) ? await nextGrantVersion(manager) : 0;
      const { identifiers } = await manager.insert(
        ExhibitedWork,
        entryIds.map((entryId, index) => ({
          exhibitionId: exhibition.id,
          sectionId: sectionIds[index],
          entryId,
          position: start + index + 1,
          captionText: captions[index],
          addedBy: viewer.subject,
          grantVersion,
        })),
      );
      if (grantVersion) await requestPublicGrants(manager, exhibition, grantVersion);
      return manager.getRepository(ExhibitedWork).find({ where: { id: In(identifiers.map((row) => row.id)) }, order: { position: "ASC" } });
    });
  }

  async update(input: UpdateExhibitedWorkInput): Promise<ExhibitedWork> {
    this.exhibitions.editor();
    return this.dataSource.transaction(async (manager) => {
      const { work, exhibition } = await this.lockWork(manager, input.id);
      if (input.caption !== undefined) work.captionText = parseTranslations(input.caption, "caption", LONG_TEXT_MAX);
      if (input.sectionId !== undefined) work.sectionId = await this.sectionOf(manager, exhibition, input.sectionId, "sectionId");
      await recordExhibitionChanged(manager, exhibition);
      return manager.getRepository(ExhibitedWork).save(work);
    });
  }

  /** Moves one work to a position (from 1); the works in between shift by one. */
  async move(id: string, position: number): Promise<ExhibitedWork> {
    this.exhibitions.editor();
    return this.dataSource.transaction(async (manager) => {
      const { work, exhibition } = await this.lockWork(manager, id);
      const count = await worksOnShowCount(manager, exhibition.id);
      if (!Number.isInteger(position) || position < 1 || position > count) throw badInput(`position must be between 1 and ${count}.`, { argument: "position" });
      if (position !== work.position) {
        await shiftForMove(manager, exhibition.id, work.id, work.position, position);
        work.position = position;
        await recordExhibitionChanged(manager, exhibition);
      }
      return manager.getRepository(ExhibitedWork).save(work);
    });
  }

  /** Puts all works on show in the given order; the list must name each of them once (else CONFLICT: reload and retry). */
  async reorder(exhibitionId: string, workIds: string[]): Promise<Exhibition> {
    this.exhibitions.editor();
    const ids = workIds.map((id) => parseId(id, "workIds"));
    if (new Set(ids).size !== ids.length) throw badInput("workIds names a work twice.", { argument: "workIds" });
    const exhibition = await this.dataSource.transaction(async (manager) => {
      const exhibition = await this.exhibitions.lockForEdit(manager, exhibitionId, "exhibitionId");
      const current = new Set(await worksOnShowIds(manager, exhibition.id));
      if (current.size !== ids.length || !ids.every((id) => current.has(id))) {
        throw conflict(`workIds must list each of the ${current.size} works on show exactly once; the exhibition may have changed, reload it.`, {
          argument: "workIds",
        });
      }
      await applyWorkOrder(manager, exhibition.id, ids);
      await recordExhibitionChanged(manager, exhibition);
      return exhibition;
    });
    return this.loaders.remember([exhibition])[0];
  }

  /**
   * Takes a work off show (the row stays, for the record): the public stops seeing it at once, and its entry stops
   * being public once the entries service has applied the narrowed grant. Removing a removed work changes nothing.
   */
  async remove(id: string): Promise<Exhibition> {
    this.exhibitions.editor();
    const workId = parseId(id, "id");
    const exhibition = await this.dataSource.transaction(async (manager) => {
      const found = await manager.getRepository(ExhibitedWork).findOneBy({ id: workId });
      if (!found) throw notFound("Work", id);
      const exhibition = await this.exhibitions.lockForEdit(manager, found.exhibitionId).catch((error) => {
        if (error?.extensions?.code === "NOT_FOUND") throw notFound("Work", id);
        throw error;
      });
      const work = await manager.getRepository(ExhibitedWork).findOneByOrFail({ id: workId });
      if (work.removedAt) return exhibition;
      await markWorkRemoved(manager, work.id, WorkRemovalReason.CURATOR);
      await compactPositions(manager, [exhibition.id]);
      if (grantsPublicly(exhibition.status)) await requestPublicGrants(manager, exhibition);
      await recordExhibitionChanged(manager, exhibition);
      return exhibition;
    });
    return this.loaders.remember([exhibition])[0];
  }
}
