// Demo competition, themes and a few hundred entries across venues, themes, kinds and countries.
import type { DataSource } from "typeorm";
import { ThemeCode } from "../../lib/themes";
import { Competition, Theme } from "../../subgraphs/entries/competition/competition.entity";
import { Entrant, Entry, EntryKind, EntryStatus, MicroVideo, Photo, VideoRenditionFile } from "../../subgraphs/entries/entry/entry.entity";
import { DemoMedia } from "./media";
import { demoId, pick, seededRandom } from "./random";
import { DEMO, DemoVenue } from "./venues";

export const DEMO_COMPETITION_ID = demoId("competition:image-china");
const ENTRY_COUNT = 400;

export const THEMES: { code: ThemeCode; name: Record<string, string>; description: Record<string, string> }[] = [
  {
    code: ThemeCode.NATURE,
    name: { en: "Natural beauty and biodiversity", zh: "自然之美与生物多样性", pt: "Beleza natural e biodiversidade" },
    description: { en: "China's natural beauty and biodiversity: the beautiful, ecological image of China.", zh: "聚焦中国的自然之美与生物多样性。" },
  },
  {
    code: ThemeCode.FOLK_CULTURE,
    name: { en: "Folk culture and social life", zh: "民俗文化与社会生活", pt: "Cultura popular e vida social" },
    description: { en: "Folk culture and social life: the cultural image of China.", zh: "聚焦中国的民俗文化与社会生活。" },
  },
  {
    code: ThemeCode.TECHNOLOGY,
    name: { en: "Technology and innovation", zh: "科技与创新", pt: "Tecnologia e inovação" },
    description: { en: "How technology changes the future and innovation drives development.", zh: "聚焦科技改变未来、创新驱动发展。" },
  },
  {
    code: ThemeCode.EXCHANGES,
    name: { en: "Exchanges between China and the world", zh: "中外交流", pt: "Intercâmbios entre a China e o mundo" },
    description: {
      en: "Exchanges between China and other countries in culture, sports, education and economy.",
      zh: "聚焦中外在文化、体育、教育、经贸等领域的交流。",
    },
  },
  {
    code: ThemeCode.OVERSEAS,
    name: { en: "China-related, outside China", zh: "海外的中国元素", pt: "Relacionado com a China, fora da China" },
    description: { en: "What is outside China but related to China.", zh: "记录中国以外、与中国相关的人和事。" },
  },
];

export const TITLES: Record<ThemeCode, string[]> = {
  NATURE: [
    "Snow leopard at dawn",
    "Karst mist over the Li River",
    "Golden monkeys in Qinling",
    "Terraces of Yuanyang",
    "Crested ibis returns",
    "Autumn in Jiuzhaigou",
    "Cranes over Poyang Lake",
    "Desert poplars",
    "Spring on the Tibetan plateau",
    "Mangroves of Beihai",
  ],
  FOLK_CULTURE: [
    "Dragon boat morning",
    "Lantern makers of Zigong",
    "Paper cutting grandmother",
    "Tea harvest in Anxi",
    "Shadow puppet rehearsal",
    "New Year market",
    "Miao silver festival",
    "Lion dance apprentices",
    "Opera backstage",
    "Noodle master",
  ],
  TECHNOLOGY: [
    "Night shift at the bullet train depot",
    "FAST telescope at dusk",
    "Drone light show",
    "Robot arms in Shenzhen",
    "Solar farm in Qinghai",
    "Harbour automation in Qingdao",
    "Satellite launch at Wenchang",
    "Maglev test run",
    "Smart greenhouse",
    "Wind turbines at sea",
  ],
  EXCHANGES: [
    "Figure skaters embrace",
    "Olympic volunteers",
    "Students from Lisbon in Xi'an",
    "China-ASEAN Expo handshake",
    "Football in Cairo and Chengdu",
    "Pandas arrive in Madrid",
    "Tea ceremony in Berlin",
    "Exchange students in Kunming",
    "Trade fair in Guangzhou",
    "Friendship marathon",
  ],
  OVERSEAS: [
    "Spring Festival in Lisbon",
    "Chinatown lanterns in Toronto",
    "Dragon dance in Bucharest",
    "Lunar New Year in New York",
    "Chinese school in Phnom Penh",
    "Tea shop in Kuala Lumpur",
    "Temple fair in Bangkok",
    "Calligraphy class in Tokyo",
    "Dumplings in Madrid",
    "Silk road exhibition in Cairo",
  ],
};

export const NAMES: Record<string, string[]> = {
  CN: ["Li Wei", "Wang Fang", "Zhang Min", "Liu Yang", "Chen Jing", "Yang Lei", "Zhao Xin", "Huang Tao", "Zhou Lin", "Wu Hao", "Xu Ying", "Sun Qiang"],
  PT: ["Ana Sousa", "João Ferreira", "Maria Santos", "Pedro Almeida", "Inês Costa", "Rui Carvalho", "Chen Mei (Lisboa)"],
  ES: ["Lucía García", "Javier Martín", "Carmen Ruiz"],
  DE: ["Lena Schmidt", "Jonas Müller", "Mia Fischer"],
  RO: ["Andrei Popescu", "Ioana Ionescu", "Mihai Stan"],
  US: ["Emily Johnson", "Michael Lee", "Sarah Wong"],
  CA: ["Olivia Tremblay", "Liam Chen", "Noah Roy"],
  JP: ["Yuki Tanaka", "Haruto Sato", "Aoi Suzuki"],
  TH: ["Somchai Wong", "Nattaya Srisuk", "Kittipong Chai"],
  KH: ["Sokha Chan", "Dara Lim", "Srey Mom"],
  MY: ["Nur Aisyah", "Tan Wei Ming", "Ravi Kumar"],
  EG: ["Omar Hassan", "Mariam Adel", "Youssef Samir"],
};

export interface DemoEntry {
  id: string;
  venueId: string;
  organizationId: string;
  theme: ThemeCode;
  status: EntryStatus;
  consentToPublication: boolean;
  divisionId: string | null;
}

/** Writes the competition and the demo entries with their photo and video rows; returns the entries. */
export async function loadDemoEntries(dataSource: DataSource, venues: DemoVenue[], media: DemoMedia): Promise<DemoEntry[]> {
  const random = seededRandom(2023);
  await dataSource.getRepository(Competition).insert({
    id: DEMO_COMPETITION_ID,
    name: '"Image China" Photography and Micro Video Competition',
    submissionOpensAt: new Date("2026-09-01T00:00:00Z"),
    submissionClosesAt: new Date("2027-06-30T23:59:59Z"),
  });
  await dataSource.getRepository(Theme).insert(
    THEMES.map((theme, index) => ({
      competitionId: DEMO_COMPETITION_ID,
      code: theme.code,
      nameText: theme.name,
      descriptionText: theme.description,
      position: index + 1,
    })),
  );

  const lisbon = venues.find((venue) => venue.id === DEMO.lisbonVenueId)!;
  const entrants = new Map<string, Entrant>();
  const entries: Entry[] = [];
  const photos: Photo[] = [];
  const videos: Partial<MicroVideo>[] = [];
  const videoRenditions: Partial<VideoRenditionFile>[] = [];
  const start = new Date("2026-09-02T08:00:00Z").getTime();
  for (let index = 0; index < ENTRY_COUNT; index++) {
    // One entry in eight comes through the Lisbon station, the rest spread over all venues.
    const venue = index % 8 === 0 ? lisbon : pick(random, venues);
    const country = venue.country === "CN" && random() < 0.1 ? pick(random, ["PT", "ES", "DE", "US", "JP"]) : venue.country;
    const name = pick(random, NAMES[country] ?? NAMES.CN);
    const email = `${name
      .toLowerCase()
      .replace(/[^a-z]+/g, ".")
      .replace(/^\.|\.$/g, "")}.${country.toLowerCase()}@example.org`;
    // Entrant records belong to the organisation that entered them: the same address through another organisation is another record.
    const tenantEmail = `${venue.organizationId}:${email}`;
    let entrant = entrants.get(tenantEmail);
    if (!entrant) {
      entrant = {
        id: demoId(`entrant:${tenantEmail}`),
        competitionId: DEMO_COMPETITION_ID,
        organizationId: venue.organizationId,
        name,
        email,
        country,
        phone: null,
        createdAt: new Date(start),
      };
      entrants.set(tenantEmail, entrant);
    }
    const theme = THEMES[index % THEMES.length].code;
    const kind = index % 40 === 7 ? EntryKind.MICRO_VIDEO : random() < 0.6 ? EntryKind.PHOTO_SET : EntryKind.SINGLE_PHOTO;
    const roll = random();
    const status = roll < 0.9 ? EntryStatus.SUBMITTED : roll < 0.95 ? EntryStatus.DRAFT : EntryStatus.WITHDRAWN;
    const createdAt = new Date(start + index * 3_600_000 * 4 + Math.floor(random() * 3_600_000));
    const entry: Entry = {
      id: demoId(`entry:${index}`),
      competitionId: DEMO_COMPETITION_ID,
      venueId: venue.id,
      organizationId: venue.organizationId,
      entrantId: entrant.id,
      themeCode: theme,
      kind,
      status,
      title: `${pick(random, TITLES[theme])}${random() < 0.5 ? "" : ` ${index}`}`,
      description: random() < 0.7 ? `Taken by ${name} for the "${THEMES[index % THEMES.length].name.en}" theme.` : null,
      creditName: name,
      country,
      consentToPublication: random() < 0.92,
      consentToRules: true,
      declaresNoGenerativeAi: true,
      idempotencyKey: null,
      submittedAt: status === EntryStatus.SUBMITTED ? new Date(createdAt.getTime() + 3_600_000) : null,
      withdrawnAt: status === EntryStatus.WITHDRAWN ? new Date(createdAt.getTime() + 7_200_000) : null,
      disqualifiedAt: null,
      disqualificationReason: null,
      createdAt,
      updatedAt: createdAt,
    };
    entries.push(entry);
    if (kind === EntryKind.MICRO_VIDEO) {
      const video = media.video(index);
      videos.push({ id: demoId(`video:${index}`), entryId: entry.id, ...video });
      for (const rendition of media.videoRenditions(index)) videoRenditions.push({ videoId: demoId(`video:${index}`), ...rendition });
    } else {
      const count = kind === EntryKind.SINGLE_PHOTO ? 1 : 2 + Math.floor(random() * 4);
      for (let position = 1; position <= count; position++) {
        photos.push({ id: demoId(`photo:${index}:${position}`), entryId: entry.id, position, createdAt, ...media.photo(index * 10 + position) });
      }
    }
  }
  await dataSource.getRepository(Entrant).insert([...entrants.values()]);
  for (let offset = 0; offset < entries.length; offset += 200) await dataSource.getRepository(Entry).insert(entries.slice(offset, offset + 200));
  for (let offset = 0; offset < photos.length; offset += 200) await dataSource.getRepository(Photo).insert(photos.slice(offset, offset + 200));
  if (videos.length) await dataSource.getRepository(MicroVideo).insert(videos);
  if (videoRenditions.length) await dataSource.getRepository(VideoRenditionFile).insert(videoRenditions);
  const divisionOf = new Map(venues.map((venue) => [venue.id, venue.divisionId]));
  return entries.map((entry) => ({
    id: entry.id,
    venueId: entry.venueId,
    organizationId: entry.organizationId,
    theme: entry.themeCode,
    status: entry.status,
    consentToPublication: entry.consentToPublication,
    divisionId: divisionOf.get(entry.venueId) ?? null,
  }));
}
