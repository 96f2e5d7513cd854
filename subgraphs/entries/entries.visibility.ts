// Who may see and do what in the entries subgraph: the one file that decides it. Every read path (root fields,
// filters, Venue.entries, _entities, media URLs, the CSV export, statistics) and every write asks this module;
// services and resolvers never compare roles themselves.
//
// In short:
// - organisers: everything;
// - a PARTNER: its organisation's entries (drafts, identity, contact, originals) and public entries;
// - a VENUE: its own venue's entries and public entries;
// - a JUDGE: the entries assigned to them (and public ones), blind: no entrant, credit name, country, venue or
//   camera data, and (class 1 of the trust issue) no filter or list that selects entries by an attribute hidden
//   from them (venue, organisation, division, country, entrant): such a request is FORBIDDEN, never an answer;
// - the public: entries made public by a published exhibition or award; credit name and country only with the
//   entrant's consent to publication, and filters agree with the fields (a country filter matches only the
//   entries whose country the caller may read); the venue of a public entry is public whatever the consent,
//   because awards and exhibitions name venues (the venue is the institution, not the entrant's personal data);
// - personal data of an entrant (name, e-mail, country, phone) belongs to the tenant (organisation) that entered
//   it: only that organisation's tokens and organisers read it; the same e-mail entered by another organisation
//   is another record (see entrant-collision.service.ts for the competition-wide cap and organisers' view).
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { Role, Viewer } from "../../lib/auth";
import { forbidden } from "../../lib/errors";
import { wellFormedIds } from "../../lib/ids";
import { definePolicy, isJudgeViewer, isOrganizerViewer, isPartnerViewer, isVenueViewer } from "../../lib/policy";
import { Entry, EntryStatus } from "./entry/entry.entity";

const SCHEMA = "entries";

const { ORGANIZER, PARTNER, VENUE } = Role;

/** Role gates: services call `entriesPolicy.assertCan(context, action)` before they touch storage. */
export const entriesPolicy = definePolicy({
  /** Create a draft at one of the token's venues. */
  "entry:create": [VENUE, PARTNER],
  /** Submit or withdraw an entry the caller owns (organisers any). */
  "entry:change": [ORGANIZER, VENUE, PARTNER],
  "entry:disqualify": [ORGANIZER],
  /** Upload photos or a video to a draft the caller owns (organisers any). */
  "entry:upload-media": [ORGANIZER, VENUE, PARTNER],
  /** entryStats: organisers all entries, partners their organisation's. */
  "entry:stats": [ORGANIZER, PARTNER],
  /** GET /exports/entries.csv: organisers all entries, partners their organisation's. */
  "entry:export": [ORGANIZER, PARTNER],
  /** Internal facts for other subgraphs (service tokens are organisers). */
  "entry:facts": [ORGANIZER],
  /** Grants kept by other subgraphs (service tokens). */
  /** See and resolve e-mail addresses entered by several organisations. */
  "entrant:collisions": [ORGANIZER],
});

export const PUBLIC_AUDIENCE = "public";
export const judgeAudience = (judgeId: string) => `judge:${judgeId}`;

/**
 * Restricts a query on `alias` (an entries.entry) to the rows the viewer may see:
 * organisers all; partners their organisation's; venues their own; judges those assigned to them;
 * everyone the public ones (submitted and granted to the public by a published award or exhibition).
 */
export function restrictToVisible<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, viewer: Viewer | undefined): SelectQueryBuilder<T> {
  const granted = (audiences: string) =>
    `(${alias}.status = :visibleStatus AND EXISTS (SELECT 1 FROM ${SCHEMA}.entry_grant visible_grant ` +
    `WHERE visible_grant.entry_id = ${alias}.id AND visible_grant.audience IN (${audiences})))`;
  const isPublic = granted(":publicAudience");
  query.setParameter("publicAudience", PUBLIC_AUDIENCE).setParameter("visibleStatus", EntryStatus.SUBMITTED);
  switch (viewer?.role) {
    case Role.ORGANIZER:
      return query;
    case Role.PARTNER:
      return query.andWhere(`(${alias}.organization_id = :viewerOrganization OR ${isPublic})`, { viewerOrganization: viewer.organizationId });
    case Role.VENUE:
      return query.andWhere(`(${alias}.venue_id = ANY(CAST(:viewerVenues AS uuid[])) OR ${isPublic})`, { viewerVenues: wellFormedIds(viewer.venueIds) });
    case Role.JUDGE:
      return query.andWhere(granted(":publicAudience, :judgeAudience"), { judgeAudience: judgeAudience(viewer.judgeId!) });
    default:
      return query.andWhere(isPublic);
  }
}

/** The submitting venue (VENUE) or its organisation (PARTNER): may see identity and edit. */
export function isOwner(viewer: Viewer | undefined, entry: Pick<Entry, "venueId" | "organizationId">): boolean {
  if (isVenueViewer(viewer)) return viewer!.venueIds.includes(entry.venueId);
  if (isPartnerViewer(viewer)) return viewer!.organizationId === entry.organizationId;
  return false;
}

/** Organisers and owners may change an entry (submit, withdraw, upload media). */
export function mayEdit(viewer: Viewer | undefined, entry: Pick<Entry, "venueId" | "organizationId">): boolean {
  return isOrganizerViewer(viewer) || isOwner(viewer, entry);
}

/** Organisers and owners see the entrant's identity and contact, the consent flag, the disqualification reason and originals. */
export function maySeeIdentity(viewer: Viewer | undefined, entry: Pick<Entry, "venueId" | "organizationId">): boolean {
  return isOrganizerViewer(viewer) || isOwner(viewer, entry);
}

/**
 * Media files as uploaded (photo and video ORIGINAL, metadata intact: author, GPS, device, creation time): organisers
 * and owners only, the same people as the identity. Everyone else gets derived files without metadata.
 */
export const maySeeOriginal = maySeeIdentity;
/** The name the renditions work uses for the same rule. */
export const mayFetchOriginalMedia = maySeeOriginal;

/**
 * Published fields (credit name, country): hidden from judges always (blind judging);
 * shown to those who see the identity; to anyone else only with the entrant's consent to publication
 * (an entry anyone else can see is public by construction of restrictToVisible).
 */
export function maySeePublishedIdentity(viewer: Viewer | undefined, entry: Entry): boolean {
  if (isJudgeViewer(viewer)) return false;
  return maySeeIdentity(viewer, entry) || entry.consentToPublication;
}

/** SQL twin of maySeePublishedIdentity for a filter on a published field: a filter matches only rows whose field the caller can read. */
export function publishedIdentityReadable<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, viewer: Viewer | undefined): string {
  if (isOrganizerViewer(viewer)) return "TRUE";
  if (isJudgeViewer(viewer)) return "FALSE";
  if (isPartnerViewer(viewer)) {
    query.setParameter("readerOrganization", viewer!.organizationId);
    return `(${alias}.organization_id = :readerOrganization OR ${alias}.consent_to_publication)`;
  }
  if (isVenueViewer(viewer)) {
    query.setParameter("readerVenues", wellFormedIds(viewer!.venueIds));
    return `(${alias}.venue_id = ANY(CAST(:readerVenues AS uuid[])) OR ${alias}.consent_to_publication)`;
  }
  return `${alias}.consent_to_publication`;
}

/** The venue an entry came through: everyone who sees the entry except judges (public even without consent: awards name venues). */
export function maySeeVenue(viewer: Viewer | undefined): boolean {
  return !isJudgeViewer(viewer);
}

/** Camera data of a photo: hidden from judges (a camera can name its owner). */
export function maySeeCameraData(viewer: Viewer | undefined): boolean {
  return !isJudgeViewer(viewer);
}

/** Attributes of an entry that judges cannot read; no argument or list may select entries by them for a judge. */
export type HiddenFromJudges = "venue" | "organisation" | "division" | "country" | "entrant";

/**
 * Class 1: a judge may not partition the entries they see by an attribute hidden from them. A filter on such an
 * attribute, or a list reached through such a parent (Venue.entries), is FORBIDDEN for judge tokens.
 */
export function assertMaySelectBy(viewer: Viewer | undefined, attribute: HiddenFromJudges, argument: string): void {
  if (isJudgeViewer(viewer)) {
    throw forbidden(`Judges cannot list or filter entries by ${attribute} (${argument}): it is hidden from them in blind judging.`);
  }
}

/** entryStats and the export: the organisation a partner is limited to; null for organisers (everything). */
export function organizationScope(viewer: Viewer): string | null {
  return isPartnerViewer(viewer) ? viewer.organizationId! : null;
}
