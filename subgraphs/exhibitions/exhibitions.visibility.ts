// Who may see and do what in the exhibitions subgraph: the one file that decides it. Services call
// `exhibitionsPolicy.assertCan(context, action)` and the predicates below; they never compare roles themselves.
//
// In short: published exhibitions, their sections and works (and likes and views) are public; drafts and archived
// exhibitions are for organisers and the partner organisation that owns them; organisers and owning partners edit.
// The entries shown in works are public by construction (a published exhibition grants them to the public), and
// what the public may read of them is the entries subgraph's rule (credit name and country only with consent).
// Host venues are where an exhibition is shown, not where its works came from, so they hide nothing from judges.
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { Role, Viewer } from "../../lib/auth";
import { definePolicy, isPartnerViewer } from "../../lib/policy";
import { Exhibition, ExhibitionStatus } from "./exhibition/exhibition.entity";

const SCHEMA = "exhibitions";

const { ORGANIZER, PARTNER } = Role;

export const exhibitionsPolicy = definePolicy({
  /** Create, update, publish and archive exhibitions, sections and works: organisers any, partners their organisation's. */
  "exhibition:edit": [ORGANIZER, PARTNER],
});

/** Partners act for their own organisation only (its exhibitions, its venues as hosts); organisers for any. */
export const editsOwnOrganizationOnly = (viewer: Viewer): boolean => isPartnerViewer(viewer);

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

/**
 * Restricts a query on `alias` (an exhibitions.exhibited_work) to works on show that the viewer may see: not removed,
 * and — on a published exhibition — only once the entries service has made their entries public (the grant request
 * that included them, work.grant_version, is applied). Organisers and the owning partner see works still waiting.
 */
export function restrictToShownWorks<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, viewer: Viewer | undefined): SelectQueryBuilder<T> {
  query.andWhere(`${alias}.removed_at IS NULL`);
  if (viewer?.role === Role.ORGANIZER) return query;
  const granted = `EXISTS (SELECT 1 FROM ${SCHEMA}.exhibition shown WHERE shown.id = ${alias}.exhibition_id AND (${alias}.grant_version <= shown.grants_applied`;
  if (viewer?.role === Role.PARTNER) {
    return query.andWhere(`${granted} OR shown.organization_id = :shownWorksOrganization))`, { shownWorksOrganization: viewer.organizationId });
  }
  return query.andWhere(`${granted}))`);
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
