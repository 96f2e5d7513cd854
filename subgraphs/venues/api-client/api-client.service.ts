// Responsible for API credentials: creating, rotating and revoking clients, and exchanging them for tokens.
import { randomBytes } from "node:crypto";
import { DataSource } from "typeorm";
import { Role, signToken, TokenClaims } from "../../../lib/auth";
import { RequestContext, requireRole } from "../../../lib/context";
import { badInput, notFound, unauthenticated } from "../../../lib/errors";
import { parseId } from "../../../lib/ids";
import { generateSecret, hashSecret, verifySecret } from "../../../lib/secrets";
import { requiredText } from "../../../lib/text";
import { VenuesLoaders } from "../loaders";
import { ApiClient } from "./api-client.entity";
import { CreateApiClientInput } from "./api-client.inputs";
import { ApiClientWithSecret, TokenPayload } from "./api-client.types";

// A fixed hash to compare against when the client id is unknown, so timing does not reveal which ids exist.
const UNKNOWN_CLIENT_HASH = "scrypt$16384$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export class ApiClientService {
  private readonly repository;

  constructor(
    dataSource: DataSource,
    private readonly loaders: VenuesLoaders,
    private readonly context: RequestContext,
  ) {
    this.repository = dataSource.getRepository(ApiClient);
  }

  list(): Promise<ApiClient[]> {
    requireRole(this.context, Role.ORGANIZER);
    return this.repository.find({ order: { createdAt: "ASC" } });
  }

  async create(input: CreateApiClientInput): Promise<ApiClientWithSecret> {
    requireRole(this.context, Role.ORGANIZER);
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

  async rotateSecret(id: string): Promise<ApiClientWithSecret> {
    requireRole(this.context, Role.ORGANIZER);
    const client = await this.repository.findOneBy({ id: parseId(id, "id") });
    if (!client) throw notFound("ApiClient", id);
    if (client.revokedAt) throw badInput("A revoked client cannot be given a new secret; create a new client.");
    const clientSecret = generateSecret("ics");
    client.secretHash = await hashSecret(clientSecret);
    return { client: await this.repository.save(client), clientSecret };
  }

  async revoke(id: string): Promise<ApiClient> {
    requireRole(this.context, Role.ORGANIZER);
    const client = await this.repository.findOneBy({ id: parseId(id, "id") });
    if (!client) throw notFound("ApiClient", id);
    if (!client.revokedAt) {
      client.revokedAt = new Date();
      await this.repository.save(client);
    }
    return client;
  }

  /** Exchanges client credentials for a token carrying the client's scope. */
  async issueToken(clientId: string, clientSecret: string): Promise<TokenPayload> {
    const client = await this.repository.findOneBy({ clientId: String(clientId).slice(0, 200) });
    const valid = await verifySecret(String(clientSecret).slice(0, 500), client?.secretHash ?? UNKNOWN_CLIENT_HASH);
    if (!client || !valid || client.revokedAt) throw unauthenticated("Unknown client, wrong secret or revoked client.");
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
    await this.repository.update({ id: client.id }, { lastUsedAt: new Date() });
    const { token, expiresAt } = signToken(claims);
    return { accessToken: token, expiresAt, role: client.role, tokenType: "Bearer" };
  }
}
