// Demo organisations, divisions, venues and API clients, built from the facts of the article.
import type { DataSource } from "typeorm";
import { hashSecret } from "../../lib/secrets";
import { Role } from "../../lib/auth";
import { ApiClient } from "../../subgraphs/venues/api-client/api-client.entity";
import { Division } from "../../subgraphs/venues/division/division.entity";
import { Organization, OrganizationKind } from "../../subgraphs/venues/organization/organization.entity";
import { Region, Venue, VenueKind } from "../../subgraphs/venues/venue/venue.entity";
import { demoId } from "./random";

export const DEMO = {
  organizerOrganizationId: demoId("organization:cns"),
  lisbonOrganizationId: demoId("organization:pt-aciclc"),
  lisbonVenueId: demoId("venue:PT-LIS-EYE"),
  portugalDivisionId: demoId("division:PT"),
  aseanDivisionId: demoId("division:ASEAN"),
  demoJudgeId: demoId("judge:demo"),
};

export const DEMO_CLIENTS = [
  { clientId: "demo-organizer", clientSecret: "demo-organizer-secret", role: Role.ORGANIZER, scope: "everything" },
  { clientId: "demo-partner", clientSecret: "demo-partner-secret", role: Role.PARTNER, scope: "the organisation that runs PT-LIS-EYE" },
  { clientId: "demo-venue", clientSecret: "demo-venue-secret", role: Role.VENUE, scope: "the venue PT-LIS-EYE" },
  { clientId: "demo-judge", clientSecret: "demo-judge-secret", role: Role.JUDGE, scope: "a judge with assignments in the open demo round" },
] as const;

// Domestic partner organisations (media groups and universities) and the cities of their branch venues.
const DOMESTIC_PARTNERS: { name: string; kind: OrganizationKind; cities: string[] }[] = [
  { name: "CNS Beijing Bureau", kind: OrganizationKind.MEDIA_AGENCY, cities: ["Beijing", "Tianjin", "Shijiazhuang"] },
  { name: "CNS Shanghai Bureau", kind: OrganizationKind.MEDIA_AGENCY, cities: ["Shanghai", "Hangzhou", "Nanjing", "Suzhou"] },
  { name: "CNS Guangdong Bureau", kind: OrganizationKind.MEDIA_AGENCY, cities: ["Guangzhou", "Shenzhen", "Zhuhai", "Shantou"] },
  { name: "CNS Sichuan Bureau", kind: OrganizationKind.MEDIA_AGENCY, cities: ["Chengdu", "Leshan", "Mianyang"] },
  { name: "CNS Yunnan Bureau", kind: OrganizationKind.MEDIA_AGENCY, cities: ["Kunming", "Dali", "Lijiang", "Xishuangbanna"] },
  { name: "CNS Fujian Bureau", kind: OrganizationKind.MEDIA_AGENCY, cities: ["Fuzhou", "Xiamen", "Quanzhou"] },
  { name: "CNS Xinjiang Bureau", kind: OrganizationKind.MEDIA_AGENCY, cities: ["Urumqi", "Kashgar"] },
  { name: "CNS Tibet Bureau", kind: OrganizationKind.MEDIA_AGENCY, cities: ["Lhasa", "Nyingchi"] },
  { name: "Communication University of China", kind: OrganizationKind.UNIVERSITY, cities: ["Beijing", "Nanjing"] },
  { name: "Fudan University School of Journalism", kind: OrganizationKind.UNIVERSITY, cities: ["Shanghai"] },
  { name: "Sun Yat-sen University", kind: OrganizationKind.UNIVERSITY, cities: ["Guangzhou"] },
  { name: "Wuhan University", kind: OrganizationKind.UNIVERSITY, cities: ["Wuhan", "Yichang"] },
  { name: "Xi'an Jiaotong University", kind: OrganizationKind.UNIVERSITY, cities: ["Xi'an"] },
  { name: "China Photographers Association (Hainan)", kind: OrganizationKind.ASSOCIATION, cities: ["Haikou", "Sanya"] },
  { name: "Heilongjiang Photographers Association", kind: OrganizationKind.ASSOCIATION, cities: ["Harbin", "Mohe"] },
  { name: "Guangxi Daily Media Group", kind: OrganizationKind.MEDIA_AGENCY, cities: ["Nanning", "Guilin"] },
  { name: "Inner Mongolia Culture Center", kind: OrganizationKind.CULTURAL_INSTITUTION, cities: ["Hohhot", "Hulunbuir"] },
  { name: "Shandong Media Group", kind: OrganizationKind.MEDIA_AGENCY, cities: ["Jinan", "Qingdao"] },
  { name: "Hunan Broadcasting Photo Club", kind: OrganizationKind.ASSOCIATION, cities: ["Changsha", "Zhangjiajie"] },
];

// Overseas partners, one station or branch venue each, in the eleven countries the article names.
const OVERSEAS_PARTNERS: {
  id?: string;
  name: string;
  kind: OrganizationKind;
  country: string;
  city: string;
  code: string;
  venueName: string;
  division?: string;
}[] = [
  {
    id: DEMO.lisbonOrganizationId,
    name: "Associação de Comerciantes e Industriais Luso-Chinesa",
    kind: OrganizationKind.ASSOCIATION,
    country: "PT",
    city: "Lisbon",
    code: "PT-LIS-EYE",
    venueName: "China-Portugal Eye Photography and Micro Video Station",
    division: DEMO.portugalDivisionId,
  },
  { name: "Casa Asia Madrid", kind: OrganizationKind.CULTURAL_INSTITUTION, country: "ES", city: "Madrid", code: "ES-MAD-01", venueName: "Madrid Branch Venue" },
  {
    name: "Deutsch-Chinesische Medienallianz",
    kind: OrganizationKind.MEDIA_AGENCY,
    country: "DE",
    city: "Berlin",
    code: "DE-BER-01",
    venueName: "Berlin Branch Venue",
  },
  {
    name: "Asociatia Romania-China",
    kind: OrganizationKind.ASSOCIATION,
    country: "RO",
    city: "Bucharest",
    code: "RO-BUH-01",
    venueName: "Bucharest Branch Venue",
  },
  {
    name: "Sino-American Photo Society",
    kind: OrganizationKind.ASSOCIATION,
    country: "US",
    city: "New York",
    code: "US-NYC-01",
    venueName: "New York Branch Venue",
  },
  {
    name: "Toronto Chinese Media Group",
    kind: OrganizationKind.MEDIA_AGENCY,
    country: "CA",
    city: "Toronto",
    code: "CA-TOR-01",
    venueName: "Toronto Branch Venue",
  },
  { name: "Japan-China Photo Exchange", kind: OrganizationKind.ASSOCIATION, country: "JP", city: "Tokyo", code: "JP-TYO-01", venueName: "Tokyo Branch Venue" },
  {
    name: "Thai-Chinese Journalists Association",
    kind: OrganizationKind.ASSOCIATION,
    country: "TH",
    city: "Bangkok",
    code: "TH-BKK-01",
    venueName: "Bangkok Branch Venue",
    division: DEMO.aseanDivisionId,
  },
  {
    name: "Cambodia-China Media Center",
    kind: OrganizationKind.MEDIA_AGENCY,
    country: "KH",
    city: "Phnom Penh",
    code: "KH-PNH-01",
    venueName: "Phnom Penh Branch Venue",
    division: DEMO.aseanDivisionId,
  },
  {
    name: "University of Malaya Confucius Institute",
    kind: OrganizationKind.UNIVERSITY,
    country: "MY",
    city: "Kuala Lumpur",
    code: "MY-KUL-01",
    venueName: "Kuala Lumpur Branch Venue",
    division: DEMO.aseanDivisionId,
  },
  {
    name: "Cairo University Confucius Institute",
    kind: OrganizationKind.UNIVERSITY,
    country: "EG",
    city: "Cairo",
    code: "EG-CAI-01",
    venueName: "Cairo Branch Venue",
  },
];

export interface DemoVenue {
  id: string;
  code: string;
  organizationId: string;
  country: string;
  divisionId: string | null;
}

function cityCode(city: string): string {
  return city
    .replace(/[^A-Za-z]/g, "")
    .slice(0, 3)
    .toUpperCase();
}

/** Writes the demo organisations, divisions, venues and the demo API clients; returns the venues. */
export async function loadDemoVenues(dataSource: DataSource): Promise<DemoVenue[]> {
  await dataSource.getRepository(Division).insert([
    { id: DEMO.portugalDivisionId, code: "PT", name: "Portugal Division", country: "PT" },
    { id: DEMO.aseanDivisionId, code: "ASEAN", name: "ASEAN Division", country: null },
  ]);
  const organizations: Partial<Organization>[] = [
    {
      id: DEMO.organizerOrganizationId,
      name: "China News Service (CNSPHOTO)",
      kind: OrganizationKind.ORGANIZER,
      country: "CN",
      website: "https://www.cnsphoto.com/",
    },
  ];
  const venues: Partial<Venue>[] = [];
  const codes = new Map<string, number>();
  for (const partner of DOMESTIC_PARTNERS) {
    const organizationId = demoId(`organization:${partner.name}`);
    organizations.push({ id: organizationId, name: partner.name, kind: partner.kind, country: "CN", website: null });
    for (const city of partner.cities) {
      const base = `CN-${cityCode(city)}`;
      const number = (codes.get(base) ?? 0) + 1;
      codes.set(base, number);
      const code = `${base}-${String(number).padStart(2, "0")}`;
      venues.push({
        id: demoId(`venue:${code}`),
        code,
        name: `${city} Branch Venue (${partner.name})`,
        kind: VenueKind.BRANCH_VENUE,
        region: Region.DOMESTIC,
        country: "CN",
        city,
        organizationId,
        divisionId: null,
      });
    }
  }
  for (const partner of OVERSEAS_PARTNERS) {
    const organizationId = partner.id ?? demoId(`organization:${partner.name}`);
    organizations.push({ id: organizationId, name: partner.name, kind: partner.kind, country: partner.country, website: null });
    venues.push({
      id: demoId(`venue:${partner.code}`),
      code: partner.code,
      name: partner.venueName,
      kind: partner.code === "PT-LIS-EYE" ? VenueKind.STATION : VenueKind.BRANCH_VENUE,
      region: Region.OVERSEAS,
      country: partner.country,
      city: partner.city,
      organizationId,
      divisionId: partner.division ?? null,
    });
  }
  await dataSource.getRepository(Organization).insert(organizations);
  await dataSource.getRepository(Venue).insert(venues);

  const scopes: Record<string, Partial<ApiClient>> = {
    "demo-organizer": {},
    "demo-partner": { organizationId: DEMO.lisbonOrganizationId },
    "demo-venue": { organizationId: DEMO.lisbonOrganizationId, venueId: DEMO.lisbonVenueId },
    "demo-judge": { judgeId: DEMO.demoJudgeId },
  };
  for (const client of DEMO_CLIENTS) {
    await dataSource.getRepository(ApiClient).insert({
      clientId: client.clientId,
      name: `Demo ${client.role.toLowerCase()} client`,
      role: client.role,
      secretHash: await hashSecret(client.clientSecret),
      ...scopes[client.clientId],
    });
  }
  return venues.map((venue) => ({
    id: venue.id!,
    code: venue.code!,
    organizationId: venue.organizationId!,
    country: venue.country!,
    divisionId: venue.divisionId ?? null,
  }));
}
