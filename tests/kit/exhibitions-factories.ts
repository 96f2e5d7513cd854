// Seeding for exhibition tests: tenants with showable entries, and exhibitions written straight to the database
// (published ones also granted to the public, as publishExhibition would), so each test builds what it needs.
import type { DataSource } from "typeorm";
import type { LocalizedText } from "../../lib/i18n";
import type { Entry } from "../../subgraphs/entries/entry/entry.entity";
import { ExhibitedWork } from "../../subgraphs/exhibitions/exhibited-work/exhibited-work.entity";
import { ExhibitionSection } from "../../subgraphs/exhibitions/exhibition-section/exhibition-section.entity";
import { Exhibition, ExhibitionHostVenue, ExhibitionKind, ExhibitionStatus } from "../../subgraphs/exhibitions/exhibition/exhibition.entity";
import type { Venue } from "../../subgraphs/venues/venue/venue.entity";
import { makePublic, seedEntry, seedVenue, unique } from "./factories";
import type { TestSystem } from "./system";

export interface Tenant {
  organizationId: string;
  venue: Venue;
  entries: Entry[];
}

/** An organisation with one venue and `count` entries that may be shown (SUBMITTED, consented). */
export async function seedTenant(system: TestSystem, count: number, venueOverrides: Partial<Venue> = {}): Promise<Tenant> {
  const venue = await seedVenue(system.dataSources.venues, venueOverrides);
  const entries: Entry[] = [];
  for (let index = 0; index < count; index++) {
    entries.push(await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId }));
  }
  return { organizationId: venue.organizationId, venue, entries };
}

export interface SeedExhibitionOptions {
  status?: ExhibitionStatus;
  organizationId?: string | null;
  kind?: ExhibitionKind;
  defaultLocale?: string;
  titleText?: LocalizedText;
  descriptionText?: LocalizedText;
  hostVenueIds?: string[];
  /** Entries to show, in order; captions default to { en, zh } texts naming the position. */
  entryIds?: string[];
  /** Section titles; works are spread over the sections in turn. */
  sections?: LocalizedText[];
  captionText?: (position: number) => LocalizedText;
}

export interface SeededExhibition {
  exhibition: Exhibition;
  sections: ExhibitionSection[];
  works: ExhibitedWork[];
}

/** An exhibition with sections and works; when PUBLISHED its entries are granted to the public like publishExhibition does. */
export async function seedExhibition(system: TestSystem, options: SeedExhibitionOptions = {}): Promise<SeededExhibition> {
  const dataSource: DataSource = system.dataSources.exhibitions;
  const status = options.status ?? ExhibitionStatus.PUBLISHED;
  const exhibition = await dataSource.getRepository(Exhibition).save({
    slug: `exhibition-${unique().toLowerCase()}`,
    organizationId: options.organizationId ?? null,
    kind: options.kind ?? ExhibitionKind.ONLINE,
    status,
    defaultLocale: options.defaultLocale ?? "zh",
    titleText: options.titleText ?? { zh: "和合共生", en: "Harmonious Co-Existence", pt: "Coexistência Harmoniosa" },
    descriptionText: options.descriptionText ?? {},
    opensAt: null,
    closesAt: null,
    publishedAt: status === ExhibitionStatus.DRAFT ? null : new Date(),
    archivedAt: status === ExhibitionStatus.ARCHIVED ? new Date() : null,
    createdBy: "test",
  });
  const hostVenueIds = options.hostVenueIds ?? [];
  if (hostVenueIds.length) {
    await dataSource
      .getRepository(ExhibitionHostVenue)
      .insert(hostVenueIds.map((venueId, index) => ({ exhibitionId: exhibition.id, venueId, position: index + 1 })));
  }
  const sections = await dataSource
    .getRepository(ExhibitionSection)
    .save((options.sections ?? []).map((titleText, index) => ({ exhibitionId: exhibition.id, position: index + 1, titleText, descriptionText: {} })));
  const entryIds = options.entryIds ?? [];
  const caption = options.captionText ?? ((position: number) => ({ zh: `作品 ${position}`, en: `Work ${position}` }));
  const works = entryIds.length
    ? await dataSource.getRepository(ExhibitedWork).save(
        entryIds.map((entryId, index) => ({
          exhibitionId: exhibition.id,
          sectionId: sections.length ? sections[index % sections.length].id : null,
          entryId,
          position: index + 1,
          captionText: caption(index + 1),
          addedBy: "test",
          removedAt: null,
          removalReason: null,
        })),
      )
    : [];
  if (status === ExhibitionStatus.PUBLISHED && entryIds.length) await makePublic(system.dataSources.entries, entryIds, `exhibition:${exhibition.id}`);
  return { exhibition, sections, works };
}
