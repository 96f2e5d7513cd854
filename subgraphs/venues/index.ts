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
import { ApiUsageResolver } from "./api-usage/api-usage.resolver";
import { DeprecatedFieldUsageResolver } from "./api-usage/deprecated-field-usage.resolver";
import { RegisteredOperationResolver } from "./registered-operation/registered-operation.resolver";
import { PartnerEvent, Webhook, WebhookDelivery } from "./webhook/webhook.entity";
import { WebhookResolver } from "./webhook/webhook.resolver";
import { WebhookDeliveryResolver } from "./webhook/webhook-delivery.resolver";
import { startWebhookDeliveryWorker } from "./webhook/webhook-delivery.worker";
import { venuesSubscriptions } from "./venues.events";

export const venuesSubgraph: SubgraphDefinition<VenuesContext> = {
  name: "venues",
  entities: [Organization, Division, Venue, ApiClient, Webhook, PartnerEvent, WebhookDelivery],
  migrations: migrationsBySubgraph.venues,
  buildSchema: () =>
    buildTypeGraphqlSubgraph({
      resolvers: [
        OrganizationResolver,
        VenueResolver,
        DivisionResolver,
        ApiClientResolver,
        WebhookResolver,
        WebhookDeliveryResolver,
        ApiUsageResolver,
        RegisteredOperationResolver,
        DeprecatedFieldUsageResolver,
      ],
      referenceResolvers: venuesReferenceResolvers,
    }),
  createContext: createVenuesContext,
  background: (dataSource) => [startWebhookDeliveryWorker(dataSource)],
  // api-client.revoked: every process learns a revocation within a second (lib/revocation-client).
  publishesEvents: true,
  subscriptions: venuesSubscriptions,
};

if (require.main === module) runSubgraphStandalone(venuesSubgraph);
