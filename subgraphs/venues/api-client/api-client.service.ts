// Responsible for API credentials: creating, rotating and revoking clients, and exchanging them for tokens.
import { randomBytes } from "node:crypto";
import { DataSource } from "typeorm";
import { Role, signToken, TokenClaims } from "../../../lib/auth";
import { RequestContext } from "../../../lib/context";
import { venuesPolicy } from "../venues.visibility";
import { badInput, conflict, notFound, unauthenticated } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { generateSecret, hashSecret, verifySecret } from "../../../lib/secrets";
import { requiredText } from "../../../lib/text";
import { recordRevocations } from "../../../lib/revocation";
import { VenuesLoaders } from "../loaders";
import { ApiClient } from "./api-client.entity";
import { CreateApiClientInput } from "./api-client.inputs";
import { ApiClientWithSecret, TokenPayload } from "./api-client.types";
import { ApiClientStore } from "./api-client.store";
import { assertLoginAllowed, recordLoginFailure, recordLoginSuccess } from "./login-throttle";

// A fixed hash to compare against when the client id is unknown, so timing does not reveal which ids exist.
const UNKNOWN_CLIENT_HASH = "scrypt$16384$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export class ApiClientService {
  private readonly repository;
  private readonly store: ApiClientStore;

  constructor(
    dataSource: DataSource,
    private readonly loaders: VenuesLoaders,
    private readonly context: RequestContext,
  ) {
    this.repository = dataSource.getRepository(ApiClient);
    this.store = new ApiClientStore(dataSource);
  }

  /** A row from the store as the entity the schema exposes. */
  private entity(row: object): ApiClient {
    return this.repository.create(row as Partial<ApiClient>);
  }

  list(): Promise<ApiClient[]> {
    venuesPolicy.assertCan(this.context, "api-client:manage");
    return this.repository.find({ order: { createdAt: "ASC" } });
  }

  async create(input: CreateApiClientInput): Promise<ApiClientWithSecret> {
    venuesPolicy.assertCan(this.context, "api-client:manage");
    const client = this.repository.create({ name: requiredText(input.name, "name"), role: input.role });
    const given = [input.organizationId, input.venueId, input.judgeId].filter((value) => value != null).length;
    switch (input.role) {
      case Role.ORGANIZER:
        if (given) throw badInput("An ORGANIZER client takes no organizationId, venueId or judgeId.");
        break;
      case Role.PARTNER: {
        if (!input.organizationId || given !== 1) throw badInput("A PARTNER client needs organizationId (and nothing else).", { argument: "organizationId" });
        const organizationId = parseId(input.organizationId, "organizationId");
        if (!(await this.loaders.organization.load(organizationId))) throw notFound("Organization", organizationId);
        client.organizationId = organizationId;
        break;
      }
      case Role.VENUE: {
        if (!input.venueId || given !== 1) throw badInput("A VENUE client needs venueId (and nothing else).", { argument: "venueId" });
        const venue = await this.loaders.venue.load(parseId(input.venueId, "venueId"));
        if (!venue) throw notFound("Venue", input.venueId);
        client.venueId = venue.id;
        client.organizationId = venue.organizationId;
        break;
      }
      case Role.JUDGE:
        if (!input.judgeId || given !== 1) throw badInput("A JUDGE client needs judgeId (and nothing else).", { argument: "judgeId" });
        client.judgeId = parseId(input.judgeId, "judgeId");
        break;
    }
    const clientSecret = generateSecret("ics");
    client.clientId = `${input.role.toLowerCase()}-${randomBytes(9).toString("base64url")}`;
    client.secretHash = await hashSecret(clientSecret);
    const saved = await this.repository.save(client);
    return { client: saved, clientSecret };
  }

  /** A new secret; the old one keeps working for `graceSeconds` so the partner can switch without downtime. */
  async rotateSecret(id: string, graceSeconds: number): Promise<ApiClientWithSecret> {
    venuesPolicy.assertCan(this.context, "api-client:manage");
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > 30 * 86400) {
      throw badInput("graceSeconds must be between 0 and 2592000 (30 days).", { argument: "graceSeconds" });
    }
    const client = await this.repository.findOneBy({ id: parseId(id, "id") });
    if (!client) throw notFound("ApiClient", id);
    if (client.revokedAt) throw badInput("A revoked client cannot be given a new secret; create a new client.");
    const clientSecret = generateSecret("ics");
    const rotated = await this.store.rotateSecret(client.id, client.secretHash, await hashSecret(clientSecret), graceSeconds);
    if (rotated) return { client: this.entity(rotated), clientSecret };
    // Lost to a change made meanwhile: a revocation (final), or another rotation (whose secret is the valid one).
    const now = await this.repository.findOneBy({ id: client.id });
    if (now?.revokedAt) throw badInput("A revoked client cannot be given a new secret; create a new client.");
    throw conflict("The secret was rotated by another request at the same time; its secret is the valid one. Rotate again if you need a new one.");
  }

  /** Sets (or with nulls, clears) a client's own rate limit; it applies to tokens issued from now on. */
  async setRateLimit(id: string, perSecond: number | null, burst: number | null): Promise<ApiClient> {
    venuesPolicy.assertCan(this.context, "api-client:manage");
    if ((perSecond === null) !== (burst === null)) throw badInput("Give both perSecond and burst, or neither to return to the default.");
    for (const [name, value] of [
      ["perSecond", perSecond],
      ["burst", burst],
    ] as const) {
      if (value !== null && (!Number.isInteger(value) || value < 1 || value > 100_000))
        throw badInput(`${name} must be between 1 and 100000.`, { argument: name });
    }
    const updated = await this.store.setRateLimit(parseId(id, "id"), perSecond, burst);
    if (!updated) throw notFound("ApiClient", id);
    return this.entity(updated);
  }

  /** Internal: every revoked client, for the services' revocation lists. */
  async revokedClients(): Promise<{ clientId: string; revokedAt: Date }[]> {
    venuesPolicy.assertCan(this.context, "api-client:manage");
    const rows = await this.repository.createQueryBuilder("client").where("client.revoked_at IS NOT NULL").getMany();
    return rows.map((client) => ({ clientId: client.clientId, revokedAt: client.revokedAt! }));
  }

  /** Revokes for good: nothing but an organiser creating a new client brings its access back. */
  async revoke(id: string): Promise<ApiClient> {
    venuesPolicy.assertCan(this.context, "api-client:manage");
    const revoked = await this.store.revoke(parseId(id, "id"));
    if (!revoked) throw notFound("ApiClient", id);
    // This process refuses the client's tokens at once; the others when the api-client.revoked event reaches them
    // (within a second), or at their next poll of the list (REVOCATION_POLL_SECONDS) if they missed it.
    recordRevocations([{ clientId: revoked.clientId, revokedAt: revoked.revokedAt! }]);
    return this.entity(revoked);
  }

  /** Exchanges client credentials for a token carrying the client's scope. */
  async issueToken(clientId: string, clientSecret: string): Promise<TokenPayload> {
    // Refused before any password check: failed logins per client id and per address are throttled.
    await assertLoginAllowed(String(clientId), this.context.clientIp);
    const client = await this.repository.findOneBy({ clientId: String(clientId).slice(0, 200) });
    const secret = String(clientSecret).slice(0, 500);
    let valid = await verifySecret(secret, client?.secretHash ?? UNKNOWN_CLIENT_HASH);
    if (!valid && client?.previousSecretHash && client.previousSecretExpiresAt && client.previousSecretExpiresAt > new Date()) {
      valid = await verifySecret(secret, client.previousSecretHash);
    }
    if (!client || !valid || client.revokedAt) {
      await recordLoginFailure(String(clientId), this.context.clientIp);
      throw unauthenticated("Unknown client, wrong secret or revoked client.");
    }
    const claims: TokenClaims = { sub: `client:${client.id}`, role: client.role, cid: client.clientId };
    if (client.role === Role.PARTNER) {
      claims.org = client.organizationId!;
      claims.venues = (await this.loaders.venuesByOrganization.load(client.organizationId!)).map((venue) => venue.id);
    } else if (client.role === Role.VENUE) {
      claims.org = client.organizationId!;
      claims.venues = [client.venueId!];
    } else if (client.role === Role.JUDGE) {
      claims.judge = client.judgeId!;
    }
    if (client.rateLimitPerSecond && client.rateLimitBurst) claims.rl = [client.rateLimitPerSecond, client.rateLimitBurst];
    // A revocation that landed while the secret was checked wins: no token for a client revoked meanwhile.
    if (!(await this.store.markUsedIfActive(client.id))) throw unauthenticated("Unknown client, wrong secret or revoked client.");
    await recordLoginSuccess(String(clientId), this.context.clientIp);
    const { token, expiresAt } = signToken(claims);
    return { accessToken: token, expiresAt, role: client.role, tokenType: "Bearer" };
  }
}
