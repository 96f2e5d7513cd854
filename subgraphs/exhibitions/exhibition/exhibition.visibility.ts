// Who may see and who may edit which exhibition: the one place the exhibitions subgraph decides it.
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { Role, Viewer } from "../../../lib/auth";
import { Exhibition, ExhibitionStatus } from "./exhibition.entity";

/**
 * Restricts a query on `alias` (an exhibitions.exhibition) to what the viewer may see:
 * organisers everything; partners published ones and their own organisation's (drafts and archived included);
 * everyone else (the public, venues, judges) published ones only.
 *
 * Venues do not see their organisation's drafts: a draft may hold entries of sibling venues that a venue
 * token cannot see, and a work whose entry cannot be resolved would only show as an error.
 */
export function restrictToVisible<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, viewer: Viewer | undefined): SelectQueryBuilder<T> {
  query.setParameter("publishedStatus", ExhibitionStatus.PUBLISHED);
  switch (viewer?.role) {
    case Role.ORGANIZER:
      return query;
    case Role.PARTNER:
      return query.andWhere(`(${alias}.status = :publishedStatus OR ${alias}.organization_id = :viewerOrganization)`, {
        viewerOrganization: viewer.organizationId,
      });
    default:
      return query.andWhere(`${alias}.status = :publishedStatus`);
  }
}

/** The same rule as restrictToVisible, for a row already loaded. */
export function maySee(viewer: Viewer | undefined, exhibition: Exhibition): boolean {
  return exhibition.status === ExhibitionStatus.PUBLISHED || mayEdit(viewer, exhibition);
}

/** Organisers edit every exhibition; a partner edits its own organisation's. */
export function mayEdit(viewer: Viewer | undefined, exhibition: Pick<Exhibition, "organizationId">): boolean {
  if (viewer?.role === Role.ORGANIZER) return true;
  return viewer?.role === Role.PARTNER && exhibition.organizationId !== null && exhibition.organizationId === viewer.organizationId;
}
