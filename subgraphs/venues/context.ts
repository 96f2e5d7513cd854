// The venues subgraph's request context: the caller, its loaders and the services that apply the rules.
import { DataSource } from "typeorm";
import { RequestContext } from "../../lib/context";
import { ApiClientService } from "./api-client/api-client.service";
import { DivisionService } from "./division/division.service";
import { createVenuesLoaders, VenuesLoaders } from "./loaders";
import { OrganizationService } from "./organization/organization.service";
import { VenueService } from "./venue/venue.service";
import { WebhookService } from "./webhook/webhook.service";
import { ApiUsageService } from "./api-usage/api-usage.service";
import { DeprecatedFieldUsageService } from "./api-usage/deprecated-field-usage.service";
import { RegisteredOperationService } from "./registered-operation/registered-operation.service";

export interface VenuesContext extends RequestContext {
  loaders: VenuesLoaders;
  organizations: OrganizationService;
  venues: VenueService;
  divisions: DivisionService;
  apiClients: ApiClientService;
  webhooks: WebhookService;
  apiUsage: ApiUsageService;
  registeredOperations: RegisteredOperationService;
  deprecatedFieldUsage: DeprecatedFieldUsageService;
}

export function createVenuesContext(request: RequestContext, dataSource: DataSource): VenuesContext {
  const loaders = createVenuesLoaders(dataSource);
  return {
    ...request,
    loaders,
    organizations: new OrganizationService(dataSource, loaders, request),
    venues: new VenueService(dataSource, loaders, request),
    divisions: new DivisionService(dataSource, loaders, request),
    apiClients: new ApiClientService(dataSource, loaders, request),
    webhooks: new WebhookService(dataSource, request),
    apiUsage: new ApiUsageService(dataSource, request),
    registeredOperations: new RegisteredOperationService(dataSource, request),
    deprecatedFieldUsage: new DeprecatedFieldUsageService(dataSource, request),
  };
}
