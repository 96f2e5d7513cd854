// Who may see which entry, and which of its fields: the one place the entries subgraph decides it.
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { Role, Viewer } from "../../../lib/auth";
import { wellFormedIds } from "../../../lib/ids";
import { Entry, EntryStatus } from "./entry.entity";

export const PUBLIC_AUDIENCE = "public";
export const judgeAudience = (judgeId: string) => `judge:${judgeId}`;

/**
 * Restricts a query on `alias` (an entries.entry) to the rows the viewer may see:
 * organisers all; partners their organisation's; venues their own; judges those assigned to them;
 * everyone the public ones (submitted and granted to the public by a published award or exhibition).
 */
export function restrictToVisible<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, viewer: Viewer | undefined): SelectQueryBuilder<T> {
  const granted = (audiences: string) =>
    `(${alias}.status = '${EntryStatus.SUBMITTED}' AND EXISTS (SELECT 1 FROM entries.entry_grant visible_grant ` +
    `WHERE visible_grant.entry_id = ${alias}.id AND visible_grant.audience IN (${audiences})))`;
  const isPublic = granted(":publicAudience");
  query.setParameter("publicAudience", PUBLIC_AUDIENCE);
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
export function isOwner(viewer: Viewer | undefined, entry: Entry): boolean {
  if (viewer?.role === Role.VENUE) return viewer.venueIds.includes(entry.venueId);
  if (viewer?.role === Role.PARTNER) return viewer.organizationId === entry.organizationId;
  return false;
}

/** Organisers and owners see the entrant's identity and contact. */
export function maySeeIdentity(viewer: Viewer | undefined, entry: Entry): boolean {
  return viewer?.role === Role.ORGANIZER || isOwner(viewer, entry);
}

/**
 * Published fields (credit name, country, venue): hidden from judges always (blind judging);
 * shown to those who see the identity; to anyone else only with the entrant's consent to publication
 * (an entry anyone else can see is public by construction of restrictToVisible).
 */
export function maySeePublishedIdentity(viewer: Viewer | undefined, entry: Entry): boolean {
  if (viewer?.role === Role.JUDGE) return false;
  return maySeeIdentity(viewer, entry) || entry.consentToPublication;
}

/**
 * Media files as uploaded (photo and video ORIGINAL, metadata intact: author, GPS, device, creation time): organisers
 * and owners only. Everyone else — judges, other tenants, the public — gets derived files that carry no metadata
 * (photo THUMBNAIL/DISPLAY, video STREAM renditions and posters), and no video at all until its renditions are READY.
 */
export function mayFetchOriginalMedia(viewer: Viewer | undefined, entry: Entry): boolean {
  return maySeeIdentity(viewer, entry);
}
