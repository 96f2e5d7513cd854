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
  "webhook:record-events": [ORGANIZER],
  /** registerOperations, unregisterOperations, registeredOperations: partners and venues their own client's set. */
  "registered-operations:manage-own": [ORGANIZER, PARTNER, VENUE],
  /** Every client's set, the registered-only setting, and the snapshot the gateways poll (service tokens). */
  "registered-operations:manage-all": [ORGANIZER],
});

/** Whether the caller may name any API client's operation set or the public safelist (else only its own client's). */
export function mayManageAnyOperationSet(viewer: Viewer): boolean {
  return isOrganizerViewer(viewer);
}

/** The organisation a webhook caller is limited to: a partner its own; organisers the one they name (or any). */
export function webhookOrganizationScope(viewer: Viewer, named: string | undefined): string | undefined {
  return isPartnerViewer(viewer) ? viewer.organizationId : named;
}
