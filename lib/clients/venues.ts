// The typed client for the venues subgraph: venues and their existence, API clients (judge logins, revocations,
// registered operations) and usage counts, through its API (never its tables).
// Operations: lib/clients/operations/venues.graphql.
import {
  ApiUsageInput,
  CreateJudgeApiClientDocument,
  DeprecatedFieldUsageInput,
  ExistingDivisionsDocument,
  ExistingOrganizationsDocument,
  ExistingVenuesDocument,
  RecordApiUsageDocument,
  RecordDeprecatedFieldUsageDocument,
  RegisteredOperationsSnapshotDocument,
  RegisteredOperationsSnapshotQuery,
  RevokedApiClientsDocument,
  VenuePageDocument,
  VenuePageQuery,
} from "./generated/venues";
import { requestSubgraph } from "./subgraph-request";

export interface VenueFact {
  id: string;
  divisionId: string | null;
  organizationId: string;
}

export type RegisteredOperationsSnapshot = RegisteredOperationsSnapshotQuery["registeredOperationsSnapshot"];

const EXISTING = { Venue: ExistingVenuesDocument, Organization: ExistingOrganizationsDocument, Division: ExistingDivisionsDocument };

export class VenuesClient {
  /** `caller`: the service calling, named in its service token. */
  constructor(private readonly caller: string) {}

  /** Every venue with its division and organisation. */
  async venues(): Promise<Map<string, VenueFact>> {
    const venues = new Map<string, VenueFact>();
    let after: string | null = null;
    for (;;) {
      const page: VenuePageQuery["venues"] = (await requestSubgraph(this.caller, "venues", VenuePageDocument, { after })).venues;
      for (const { node } of page.edges) venues.set(node.id, { id: node.id, divisionId: node.division?.id ?? null, organizationId: node.organization.id });
      if (!page.pageInfo.hasNextPage) return venues;
      after = page.pageInfo.endCursor;
    }
  }

  /** Which of the given ids exist as a Venue, Organization or Division in the venues subgraph. */
  async existing(typename: keyof typeof EXISTING, ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const representations = ids.map((id) => ({ __typename: typename, id }));
    const { _entities } = await requestSubgraph(this.caller, "venues", EXISTING[typename], { representations });
    return new Set(_entities.flatMap((entity) => (entity && "id" in entity && entity.id ? [entity.id] : [])));
  }

  /** Creates a judge's login (a JUDGE API client); the secret is shown once. */
  async createJudgeApiClient(judgeId: string, name: string): Promise<{ id: string; clientId: string; clientSecret: string }> {
    const { createApiClient } = await requestSubgraph(this.caller, "venues", CreateJudgeApiClientDocument, { input: { name, role: "JUDGE", judgeId } });
    return { id: createApiClient.client.id, clientId: createApiClient.client.clientId, clientSecret: createApiClient.clientSecret };
  }

  /** Every API client revoked, with when. */
  async revokedApiClients(): Promise<{ clientId: string; revokedAt: string }[]> {
    return (await requestSubgraph(this.caller, "venues", RevokedApiClientsDocument, {})).revokedApiClients;
  }

  /** The registered operations and settings, unless `knownRevision` is still current (then `changed` is false). */
  async registeredOperationsSnapshot(knownRevision: string | undefined): Promise<RegisteredOperationsSnapshot> {
    return (await requestSubgraph(this.caller, "venues", RegisteredOperationsSnapshotDocument, { knownRevision: knownRevision ?? null }))
      .registeredOperationsSnapshot;
  }

  async recordApiUsage(counts: ApiUsageInput[]): Promise<void> {
    await requestSubgraph(this.caller, "venues", RecordApiUsageDocument, { counts });
  }

  async recordDeprecatedFieldUsage(counts: DeprecatedFieldUsageInput[]): Promise<void> {
    await requestSubgraph(this.caller, "venues", RecordDeprecatedFieldUsageDocument, { counts });
  }
}
