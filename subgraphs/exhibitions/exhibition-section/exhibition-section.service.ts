// Responsible for the sections of an exhibition: adding, renaming, reordering and removing them under the exhibition's lock.
import { DataSource, EntityManager } from "typeorm";
import { badInput, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { LocalizedText } from "../../../lib/i18n";
import { Page } from "../../../lib/pagination";
import { ExhibitedWork } from "../exhibited-work/exhibited-work.entity";
import { parseTranslations } from "../exhibition/exhibition.translations";
import { Exhibition } from "../exhibition/exhibition.entity";
import { ExhibitionService, LONG_TEXT_MAX, TITLE_MAX } from "../exhibition/exhibition.service";
import type { ExhibitionsLoaders, WorksPageArgs } from "../loaders";
import { ExhibitionSection } from "./exhibition-section.entity";
import { AddExhibitionSectionInput, UpdateExhibitionSectionInput } from "./exhibition-section.inputs";
import { closeGapAt, makeRoomAt, sectionCount, shiftForMove, unsectionWorks } from "./exhibition-section.store";

const MAX_SECTIONS = 50;

export class ExhibitionSectionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: ExhibitionsLoaders,
    private readonly exhibitions: ExhibitionService,
  ) {}

  sections(exhibition: Exhibition): Promise<ExhibitionSection[]> {
    return this.loaders.sectionsByExhibition.load(exhibition.id);
  }

  works(section: ExhibitionSection, args: Omit<WorksPageArgs, "sectionId">): Promise<Page<ExhibitedWork>> {
    return this.loaders.worksBySection(args).load(section.id);
  }

  private parseTitle(input: AddExhibitionSectionInput["title"], exhibition: Exhibition): LocalizedText {
    const title = parseTranslations(input, "title", TITLE_MAX);
    if (!title[exhibition.defaultLocale]) {
      throw badInput(`title must be given in the exhibition's default language (${exhibition.defaultLocale}).`, { argument: "title" });
    }
    return title;
  }

  private checkPosition(position: number, last: number): void {
    if (!Number.isInteger(position) || position < 1 || position > last) throw badInput(`position must be between 1 and ${last}.`, { argument: "position" });
  }

  /** Locks the section's exhibition; a section of an exhibition the caller cannot see is NOT_FOUND. */
  private async lockSection(manager: EntityManager, id: string): Promise<{ section: ExhibitionSection; exhibition: Exhibition }> {
    const sectionId = parseId(id, "id");
    const found = await manager.getRepository(ExhibitionSection).findOneBy({ id: sectionId });
    if (!found) throw notFound("Section", id);
    const exhibition = await this.exhibitions.lockForEdit(manager, found.exhibitionId).catch((error) => {
      if (error?.extensions?.code === "NOT_FOUND") throw notFound("Section", id);
      throw error;
    });
    // Read again under the lock: a concurrent change may have moved or removed it.
    const section = await manager.getRepository(ExhibitionSection).findOneBy({ id: sectionId });
    if (!section) throw notFound("Section", id);
    return { section, exhibition };
  }

  async add(input: AddExhibitionSectionInput): Promise<ExhibitionSection> {
    this.exhibitions.editor();
    return this.dataSource.transaction(async (manager) => {
      const exhibition = await this.exhibitions.lockForEdit(manager, input.exhibitionId, "exhibitionId");
      const titleText = this.parseTitle(input.title, exhibition);
      const descriptionText = parseTranslations(input.description, "description", LONG_TEXT_MAX);
      const count = await sectionCount(manager, exhibition.id);
      if (count >= MAX_SECTIONS) throw badInput(`An exhibition has at most ${MAX_SECTIONS} sections.`);
      const position = input.position ?? count + 1;
      this.checkPosition(position, count + 1);
      await makeRoomAt(manager, exhibition.id, position);
      const { identifiers } = await manager.insert(ExhibitionSection, { exhibitionId: exhibition.id, position, titleText, descriptionText });
      return manager.getRepository(ExhibitionSection).findOneByOrFail({ id: identifiers[0].id });
    });
  }

  async update(input: UpdateExhibitionSectionInput): Promise<ExhibitionSection> {
    this.exhibitions.editor();
    return this.dataSource.transaction(async (manager) => {
      const { section, exhibition } = await this.lockSection(manager, input.id);
      if (input.title != null) section.titleText = this.parseTitle(input.title, exhibition);
      if (input.description !== undefined) section.descriptionText = parseTranslations(input.description, "description", LONG_TEXT_MAX);
      if (input.position != null && input.position !== section.position) {
        this.checkPosition(input.position, await sectionCount(manager, exhibition.id));
        await shiftForMove(manager, exhibition.id, section.id, section.position, input.position);
        section.position = input.position;
      }
      return manager.getRepository(ExhibitionSection).save(section);
    });
  }

  /** Removes a section; its works stay in the exhibition, in no section. */
  async remove(id: string): Promise<Exhibition> {
    this.exhibitions.editor();
    const exhibition = await this.dataSource.transaction(async (manager) => {
      const { section, exhibition } = await this.lockSection(manager, id);
      await unsectionWorks(manager, section.id);
      await manager.delete(ExhibitionSection, { id: section.id });
      await closeGapAt(manager, exhibition.id, section.position);
      return exhibition;
    });
    return this.loaders.remember([exhibition])[0];
  }
}
