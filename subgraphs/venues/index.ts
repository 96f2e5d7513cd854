// The venues subgraph: organisations, venues, divisions and API credentials.
import "reflect-metadata";
import { buildTypeGraphqlSubgraph } from "../../lib/subgraph-schema";
import { runSubgraphStandalone, SubgraphDefinition } from "../../lib/subgraph-service";
import { migrationsBySubgraph } from "../../migrations";
import { ApiClient } from "./api-client/api-client.entity";
import { ApiClientResolver } from "./api-client/api-client.resolver";
import { createVenuesContext, VenuesContext } from "./context";
import { Division } from "./division/division.entity";
import { DivisionResolver } from "./division/division.resolver";
import { Organization } from "./organization/organization.entity";
import { OrganizationResolver } from "./organization/organization.resolver";
import { venuesReferenceResolvers } from "./references";
import { Venue } from "./venue/venue.entity";
import { VenueResolver } from "./venue/venue.resolver";

export const venuesSubgraph: SubgraphDefinition<VenuesContext> = {
  name: "venues",
  entities: [Organization, Division, Venue, ApiClient],
  migrations: migrationsBySubgraph.venues,
  buildSchema: () =>
    buildTypeGraphqlSubgraph({
      resolvers: [OrganizationResolver, VenueResolver, DivisionResolver, ApiClientResolver],
      referenceResolvers: venuesReferenceResolvers,
    }),
  createContext: createVenuesContext,
};

if (require.main === module) runSubgraphStandalone(venuesSubgraph);
