// The venues subgraph's per-request DataLoaders: every lookup by id and every child list is batched here.
import { DataSource, In } from "typeorm";
import { groupLoader, rowLoader } from "../../lib/loaders";
import { wellFormedIds } from "../../lib/ids";
import { Division } from "./division/division.entity";
import { Organization } from "./organization/organization.entity";
import { Venue } from "./venue/venue.entity";
import { PartnerEvent } from "./webhook/webhook.entity";

export function createVenuesLoaders(dataSource: DataSource) {
  const organizations = dataSource.getRepository(Organization);
  const venues = dataSource.getRepository(Venue);
  const divisions = dataSource.getRepository(Division);
  return {
    organization: rowLoader<string, Organization>(
      (ids) => organizations.findBy({ id: In(wellFormedIds(ids)) }),
      (row) => row.id,
    ),
    venue: rowLoader<string, Venue>(
      (ids) => venues.findBy({ id: In(wellFormedIds(ids)) }),
      (row) => row.id,
    ),
    division: rowLoader<string, Division>(
      (ids) => divisions.findBy({ id: In(wellFormedIds(ids)) }),
      (row) => row.id,
    ),
    venuesByOrganization: groupLoader<string, Venue>(
      (ids) => venues.find({ where: { organizationId: In(wellFormedIds(ids)) }, order: { code: "ASC" } }),
      (row) => row.organizationId,
    ),
    partnerEvent: rowLoader<string, PartnerEvent>(
      (ids) => dataSource.getRepository(PartnerEvent).findBy({ id: In([...ids]) }),
      (row) => row.id,
    ),
    venuesByDivision: groupLoader<string, Venue>(
      (ids) => venues.find({ where: { divisionId: In(wellFormedIds(ids)) }, order: { code: "ASC" } }),
      (row) => row.divisionId!,
    ),
  };
}

export type VenuesLoaders = ReturnType<typeof createVenuesLoaders>;
