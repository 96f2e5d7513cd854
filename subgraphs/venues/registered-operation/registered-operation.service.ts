// Responsible for registered operations (trusted documents): who may register for which client, the organisers'
// view of every set, the registered-only setting, and the snapshot the gateways poll.
import { DataSource } from "typeorm";
import { Viewer } from "../../../lib/auth";
import { checkedInApiSchema } from "../../../lib/api-schema";
import { config } from "../../../lib/config";
import { RequestContext } from "../../../lib/context";
import { actsForAnyApiClient, venuesPolicy } from "../venues.visibility";
import { badInput, forbidden, notFound } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { decodeCursor, Page, pageFromRows, PageArgs, pageSize } from "../../../lib/pagination";
import { ApiClient } from "../api-client/api-client.entity";
import { readOperationManifest } from "./operation-manifest";
import { RegisteredOperationRow, RegisteredOperationStore } from "./registered-operation.store";
import type { RegisteredOperationSet, RegisteredOperationsSnapshot } from "./registered-operation.types";

export class RegisteredOperationService {
  private readonly store: RegisteredOperationStore;
  private readonly clients;

  constructor(
    private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {
    this.store = new RegisteredOperationStore(dataSource);
    this.clients = dataSource.getRepository(ApiClient);
  }

  /** Registers a manifest for a client (partners and venues: their own; organisers: any, or the public safelist). */
  async register(clientId: string | null | undefined, manifest: unknown, publicSafelist: boolean): Promise<RegisteredOperationSet> {
    const viewer = venuesPolicy.assertCan(this.context, "registered-operations:register");
    const client = await this.targetClient(viewer, clientId, publicSafelist);
    if (client?.revokedAt) throw badInput("The API client is revoked; its operations can no longer be registered.", { argument: "clientId" });
    const operations = readOperationManifest(manifest, checkedInApiSchema());
    const registeredBy = viewer.clientId ?? viewer.subject;
    const added = await this.dataSource.transaction((manager) => this.store.add(manager, client?.id ?? null, operations, registeredBy));
    return { ...this.setOf(client), added, removed: null };
  }

  /** Removes documents from a set (a site version that is gone), with the same rights as registering. */
  async unregister(clientId: string | null | undefined, hashes: string[], publicSafelist: boolean): Promise<RegisteredOperationSet> {
    const viewer = venuesPolicy.assertCan(this.context, "registered-operations:register");
    const client = await this.targetClient(viewer, clientId, publicSafelist);
    if (hashes.length === 0 || hashes.length > 1000) throw badInput("Give 1 to 1000 hashes.", { argument: "hashes" });
    const wanted = hashes.map((hash) => String(hash).toLowerCase());
    const removed = await this.dataSource.transaction((manager) => this.store.remove(manager, client?.id ?? null, wanted));
    return { ...this.setOf(client), removed };
  }

  /** A client's set: partners and venues their own (clientId omitted), organisers any client's or the public safelist. */
  async set(clientId: string | null | undefined, publicSafelist: boolean): Promise<RegisteredOperationSet> {
    const viewer = venuesPolicy.assertCan(this.context, "registered-operations:register");
    return this.setOf(await this.targetClient(viewer, clientId, publicSafelist));
  }

  /** Organisers: every client that registered operations, and the public safelist when it holds any. */
  async sets(): Promise<RegisteredOperationSet[]> {
    venuesPolicy.assertCan(this.context, "registered-operations:manage");
    const owners = await this.store.owners();
    const ids = owners.filter((owner): owner is string => owner !== null);
    const clients = ids.length ? await this.clients.createQueryBuilder("client").where("client.id IN (:...ids)", { ids }).getMany() : [];
    const byId = new Map(clients.map((client) => [client.id, client]));
    return owners.map((owner) => this.setOf(owner === null ? null : (byId.get(owner) ?? null)));
  }

  async operations(set: RegisteredOperationSet, args: PageArgs): Promise<Page<RegisteredOperationRow>> {
    const first = pageSize(args.first);
    const after = args.after ? decodeCursor(args.after, 2) : undefined;
    const rows = first === 0 ? [] : await this.store.page(set.apiClientId, first + 1, after);
    return pageFromRows(
      rows,
      first,
      (row) => [new Date(row.registeredAt).toISOString(), row.id],
      () => this.store.count(set.apiClientId),
    );
  }

  /** Organisers: true or false for this client, or null to follow its role's default. Gateways apply it within a poll. */
  async setRegisteredOperationsOnly(id: string, registeredOperationsOnly: boolean | null): Promise<ApiClient> {
    venuesPolicy.assertCan(this.context, "registered-operations:manage");
    return this.dataSource.transaction(async (manager) => {
      const client = await manager.getRepository(ApiClient).findOneBy({ id: parseId(id, "id") });
      if (!client) throw notFound("ApiClient", id);
      client.registeredOperationsOnly = registeredOperationsOnly;
      const saved = await manager.getRepository(ApiClient).save(client);
      await this.store.bumpRevision(manager);
      return saved;
    });
  }

  /** Internal (gateways): everything, unless knownRevision is still current. */
  async snapshot(knownRevision: string | null | undefined): Promise<RegisteredOperationsSnapshot> {
    venuesPolicy.assertCan(this.context, "registered-operations:manage");
    const revision = await this.store.revision();
    if (knownRevision === revision) return { revision, changed: false, settings: [], operations: [] };
    return { ...(await this.store.snapshot()), changed: true };
  }

  private async targetClient(viewer: Viewer, clientId: string | null | undefined, publicSafelist: boolean): Promise<ApiClient | null> {
    if (publicSafelist) {
      if (!actsForAnyApiClient(viewer)) throw forbidden("Only organisers manage the public safelist.");
      if (clientId) throw badInput("Give clientId or publicSafelist, not both.", { argument: "clientId" });
      return null;
    }
    if (actsForAnyApiClient(viewer)) {
      if (!clientId) throw badInput("Organisers name the client (clientId, its ApiClient.id) or set publicSafelist.", { argument: "clientId" });
      const client = await this.clients.findOneBy({ id: parseId(clientId, "clientId") });
      if (!client) throw notFound("ApiClient", clientId);
      return client;
    }
    // Partners and venues act for the API client their token was issued to, never another.
    const own = viewer.clientId ? await this.clients.findOneBy({ clientId: viewer.clientId }) : null;
    if (!own) throw forbidden("Registered operations belong to an API client: use a token obtained with issueToken.");
    if (clientId && clientId !== own.id) throw forbidden("You can register and read operations only for your own API client.");
    return own;
  }

  private setOf(client: ApiClient | null): RegisteredOperationSet {
    const defaultRole = client ? client.role : "PUBLIC";
    const registeredOperationsOnly = client?.registeredOperationsOnly ?? config().registeredOperations.onlyRoles.has(defaultRole);
    return { apiClientId: client?.id ?? null, client, publicSafelist: client === null, registeredOperationsOnly, added: null, removed: null };
  }
}
