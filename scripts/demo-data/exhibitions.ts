// The demo exhibition "Image China · Harmonious Co-Existence": about 100 works in five sections, published
// (its entries granted to the public, as publishExhibition does), plus an on-site draft at the Lisbon station.
import type { DataSource } from "typeorm";
import { ExhibitedWork } from "../../subgraphs/exhibitions/exhibited-work/exhibited-work.entity";
import { ExhibitionSection } from "../../subgraphs/exhibitions/exhibition-section/exhibition-section.entity";
import { Exhibition, ExhibitionHostVenue, ExhibitionKind, ExhibitionStatus } from "../../subgraphs/exhibitions/exhibition/exhibition.entity";
import { EntryStatus } from "../../subgraphs/entries/entry/entry.entity";
import type { DemoEntry } from "./entries";
import { demoId } from "./random";
import { DEMO, DemoVenue } from "./venues";

export const DEMO_EXHIBITION_SLUG = "harmonious-co-existence";
const WORKS = 100;

const SECTIONS = [
  { zh: "海外春节", en: "Spring Festival abroad", pt: "O Ano Novo Chinês no estrangeiro" },
  { zh: "体育与交流", en: "Sport and exchange", pt: "Desporto e intercâmbio" },
  { zh: "山水与来客", en: "Landscapes and visitors", pt: "Paisagens e visitantes" },
  { zh: "经贸与科技", en: "Trade and technology", pt: "Comércio e tecnologia" },
  { zh: "共享民俗", en: "Folk culture shared", pt: "Cultura popular partilhada" },
];

/** Writes the exhibitions; returns the ids of the entries on public show. */
export async function loadDemoExhibitions(exhibitions: DataSource, entries: DataSource, demoEntries: DemoEntry[], venues: DemoVenue[]): Promise<string[]> {
  const showable = demoEntries.filter((entry) => entry.status === EntryStatus.SUBMITTED && entry.consentToPublication).slice(0, WORKS);
  const exhibitionId = demoId("exhibition:harmonious-co-existence");
  await exhibitions.getRepository(Exhibition).insert({
    id: exhibitionId,
    slug: DEMO_EXHIBITION_SLUG,
    organizationId: null,
    kind: ExhibitionKind.ONLINE,
    status: ExhibitionStatus.PUBLISHED,
    defaultLocale: "zh",
    titleText: { zh: "“影像中国·和合共生”摄影展", en: "Image China · Harmonious Co-Existence", pt: "Imagem da China · Coexistência Harmoniosa" },
    descriptionText: {
      zh: "约百幅作品，聚焦各领域的中外交流。",
      en: "About 100 works on exchanges between China and the world: Spring Festival celebrations abroad, visitors in China's landscapes, sport, trade and technology.",
      pt: "Cerca de 100 obras sobre os intercâmbios entre a China e o mundo.",
    },
    opensAt: new Date("2027-01-20T00:00:00Z"),
    closesAt: null,
    publishedAt: new Date("2027-01-20T00:00:00Z"),
    archivedAt: null,
    createdBy: "demo",
  });
  const beijing = venues.find((venue) => venue.code.startsWith("CN-BEI"))!;
  await exhibitions.getRepository(ExhibitionHostVenue).insert([
    { exhibitionId, venueId: DEMO.lisbonVenueId, position: 1 },
    { exhibitionId, venueId: beijing.id, position: 2 },
  ]);
  const sectionIds = SECTIONS.map((_title, index) => demoId(`exhibition-section:${index}`));
  await exhibitions
    .getRepository(ExhibitionSection)
    .insert(SECTIONS.map((titleText, index) => ({ id: sectionIds[index], exhibitionId, position: index + 1, titleText, descriptionText: {} })));
  await exhibitions.getRepository(ExhibitedWork).insert(
    showable.map((entry, index) => ({
      id: demoId(`exhibited-work:${index}`),
      exhibitionId,
      sectionId: sectionIds[index % sectionIds.length],
      entryId: entry.id,
      position: index + 1,
      captionText: {
        zh: `${SECTIONS[index % SECTIONS.length].zh} · 第 ${index + 1} 幅`,
        en: `${SECTIONS[index % SECTIONS.length].en}, no. ${index + 1}`,
        pt: `${SECTIONS[index % SECTIONS.length].pt}, n.º ${index + 1}`,
      },
      addedBy: "demo",
      removedAt: null,
      removalReason: null,
    })),
  );
  // What publishExhibition tells the entries subgraph: these entries are now public.
  await entries.query(`INSERT INTO entries.entry_grant (entry_id, audience, source) SELECT unnest($1::uuid[]), 'public', $2`, [
    showable.map((entry) => entry.id),
    `exhibition:${exhibitionId}`,
  ]);

  // An on-site exhibition the Lisbon partner is preparing (draft: visible to it and organisers only).
  const lisbonEntries = demoEntries.filter(
    (entry) => entry.venueId === DEMO.lisbonVenueId && entry.status === EntryStatus.SUBMITTED && entry.consentToPublication,
  );
  const draftId = demoId("exhibition:lisbon-station");
  await exhibitions.getRepository(Exhibition).insert({
    id: draftId,
    slug: "china-portugal-eye-lisbon",
    organizationId: DEMO.lisbonOrganizationId,
    kind: ExhibitionKind.ONSITE,
    status: ExhibitionStatus.DRAFT,
    defaultLocale: "pt",
    titleText: { pt: "Olhar China-Portugal", en: "China-Portugal Eye", zh: "中葡之眼" },
    descriptionText: { pt: "Obras entradas pela estação de Lisboa.", en: "Works entered through the Lisbon station." },
    opensAt: null,
    closesAt: null,
    publishedAt: null,
    archivedAt: null,
    createdBy: "demo",
  });
  await exhibitions.getRepository(ExhibitionHostVenue).insert({ exhibitionId: draftId, venueId: DEMO.lisbonVenueId, position: 1 });
  await exhibitions.getRepository(ExhibitedWork).insert(
    lisbonEntries.slice(0, 12).map((entry, index) => ({
      exhibitionId: draftId,
      sectionId: null,
      entryId: entry.id,
      position: index + 1,
      captionText: { pt: `Obra ${index + 1}`, en: `Work ${index + 1}` },
      addedBy: "demo",
      removedAt: null,
      removalReason: null,
    })),
  );
  return showable.map((entry) => entry.id);
}
