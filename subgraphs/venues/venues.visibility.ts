// Who may see and do what in the venues subgraph: the one file that decides it. Services call
// `venuesPolicy.assertCan(context, action)`; they never compare the caller's role themselves.
//
// In short: organisations, venues and divisions are public reference data (names, places, divisions: what
// awards and exhibitions name), and only organisers change them; API clients, their secrets and usage are
// organisers' only; a partner manages its own organisation's webhooks and sees their deliveries, organisers any
// organisation's. Nothing here is hidden from judges, because nothing here says which entry came from where:
// the lists that would (Venue.entries, Organization.venues → entries) are guarded by the entries subgraph.
import { Role, Viewer } from "../../lib/auth";
import { definePolicy, isOrganizerViewer, isPartnerViewer } from "../../lib/policy";

const { ORGANIZER, PARTNER, VENUE } = Role;

export const venuesPolicy = definePolicy({
  "organization:manage": [ORGANIZER],
  "venue:manage": [ORGANIZER],
  "division:manage": [ORGANIZER],
  /** apiClients, createApiClient, rotate, rate limit, revoke, the revocation list. */
  "api-client:manage": [ORGANIZER],
  /** apiUsage and the gateway's usage reports (service tokens). */
  "api-usage:manage": [ORGANIZER],
  /** webhooks, createWebhook, updateWebhook, pingWebhook, replayWebhookDelivery: partners their organisation's. */
  "webhook:manage": [PARTNER, ORGANIZER],
  /** Partner events recorded by other subgraphs (service tokens). */
  /** registerOperations, unregisterOperations, registeredOperationSet: partners and venues for their own API client. */
  "registered-operations:register": [ORGANIZER, PARTNER, VENUE],
  /** registeredOperationSets, setApiClientRegisteredOperationsOnly, the gateways' snapshot (service tokens). */
  "registered-operations:manage": [ORGANIZER],
  /** deprecatedFieldUsage, and the gateways' usage reports (service tokens). */
  "deprecated-usage:manage": [ORGANIZER],
});

/**
 * Whose registered operations a caller acts on: organisers any client's and the public safelist; partners and
 * venues only the API client their token was issued to.
 */
export const actsForAnyApiClient = (viewer: Viewer): boolean => isOrganizerViewer(viewer);

/** The organisation a webhook caller is limited to: a partner its own; organisers the one they name (or any). */
export function webhookOrganizationScope(viewer: Viewer, named: string | undefined): string | undefined {
  return isPartnerViewer(viewer) ? viewer.organizationId : named;
}
