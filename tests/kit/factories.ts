// A small seeding kit: each test creates the tenants and entries it needs, so tests never share fixtures.
import { randomBytes, randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { ThemeCode, THEME_CODES } from "../../lib/themes";
import { Organization, OrganizationKind } from "../../subgraphs/venues/organization/organization.entity";
import { Region, Venue, VenueKind } from "../../subgraphs/venues/venue/venue.entity";
import { Division } from "../../subgraphs/venues/division/division.entity";
import { Competition, Theme } from "../../subgraphs/entries/competition/competition.entity";
import { Entrant, Entry, EntryKind, EntryStatus, Photo } from "../../subgraphs/entries/entry/entry.entity";

export const unique = (prefix = "") => `${prefix}${randomBytes(4).toString("hex").toUpperCase()}`;

export async function seedOrganization(venues: DataSource, overrides: Partial<Organization> = {}): Promise<Organization> {
  return venues.getRepository(Organization).save({ name: `Org ${unique()}`, kind: OrganizationKind.MEDIA_AGENCY, country: "CN", website: null, ...overrides });
}

export async function seedDivision(venues: DataSource, overrides: Partial<Division> = {}): Promise<Division> {
  return venues.getRepository(Division).save({ code: unique("D"), name: `Division ${unique()}`, country: null, ...overrides });
}

/** An organisation with one venue (or the given organisation). */
export async function seedVenue(venues: DataSource, overrides: Partial<Venue> = {}): Promise<Venue> {
  const organizationId = overrides.organizationId ?? (await seedOrganization(venues)).id;
  const country = overrides.country ?? "CN";
  return venues.getRepository(Venue).save({
    code: unique("V-"),
    name: `Venue ${unique()}`,
    kind: VenueKind.BRANCH_VENUE,
    region: country === "CN" ? Region.DOMESTIC : Region.OVERSEAS,
    country,
    city: null,
    divisionId: null,
    ...overrides,
    organizationId,
  });
}

/** The competition with its five themes, open for submissions unless told otherwise. */
export async function seedCompetition(entries: DataSource, overrides: Partial<Competition> = {}): Promise<Competition> {
  const competition = await entries.getRepository(Competition).save({
    name: "Image China",
    submissionOpensAt: new Date(Date.now() - 86_400_000),
    submissionClosesAt: new Date(Date.now() + 30 * 86_400_000),
    ...overrides,
  });
  await entries.getRepository(Theme).save(
    THEME_CODES.map((code, index) => ({
      competitionId: competition.id,
      code,
      nameText: { en: code, zh: `主题 ${index + 1}` },
      descriptionText: {},
      position: index + 1,
    })),
  );
  return competition;
}

export async function currentCompetition(entries: DataSource): Promise<Competition> {
  const [competition] = await entries.getRepository(Competition).find({ order: { createdAt: "DESC" }, take: 1 });
  return competition ?? seedCompetition(entries);
}

export interface SeedEntryOptions extends Partial<Entry> {
  venueId: string;
  organizationId: string;
  photos?: number;
  entrantEmail?: string;
}

/** An entry (SUBMITTED by default) with an entrant and, for photo kinds, photo rows pointing at no file. */
export async function seedEntry(entries: DataSource, options: SeedEntryOptions): Promise<Entry> {
  const competition = await currentCompetition(entries);
  const { venueId, organizationId, photos, entrantEmail, ...overrides } = options;
  const entrant = await entries.getRepository(Entrant).save({
    competitionId: competition.id,
    organizationId,
    name: `Entrant ${unique()}`,
    email: entrantEmail ?? `${unique().toLowerCase()}@example.org`,
    country: overrides.country ?? "PT",
    phone: "+351 000 000",
  });
  const status = overrides.status ?? EntryStatus.SUBMITTED;
  const entry = await entries.getRepository(Entry).save({
    competitionId: competition.id,
    venueId,
    organizationId,
    entrantId: entrant.id,
    themeCode: ThemeCode.NATURE,
    kind: EntryKind.SINGLE_PHOTO,
    status,
    title: `Work ${unique()}`,
    description: null,
    creditName: entrant.name,
    country: entrant.country,
    consentToPublication: true,
    consentToRules: true,
    declaresNoGenerativeAi: true,
    idempotencyKey: null,
    submittedAt: status === EntryStatus.SUBMITTED ? new Date() : null,
    withdrawnAt: null,
    disqualifiedAt: null,
    disqualificationReason: null,
    ...overrides,
  });
  const count = photos ?? (entry.kind === EntryKind.PHOTO_SET ? 3 : entry.kind === EntryKind.SINGLE_PHOTO ? 1 : 0);
  for (let position = 1; position <= count; position++) {
    await entries.getRepository(Photo).save({
      entryId: entry.id,
      position,
      width: 2400,
      height: 1600,
      contentType: "image/jpeg",
      byteSize: 1000,
      sha256: randomBytes(32).toString("hex"),
      originalKey: `photos/test/${randomUUID()}.jpg`,
      displayKey: `photos/test/${randomUUID()}.jpg`,
      thumbnailKey: `photos/test/${randomUUID()}.jpg`,
      exif: null,
    });
  }
  return entry;
}

/** Grants entries to the public (as a published exhibition or award would) straight in the database. */
export async function makePublic(entries: DataSource, entryIds: string[], source = `test:${unique()}`): Promise<void> {
  for (const entryId of entryIds) {
    await entries.query(`INSERT INTO entries.entry_grant (entry_id, audience, source) VALUES ($1, 'public', $2) ON CONFLICT DO NOTHING`, [entryId, source]);
  }
}
