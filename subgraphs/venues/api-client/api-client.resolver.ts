import { Arg, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { VenuesContext } from "../context";
import { ApiClient } from "./api-client.entity";
import { CreateApiClientInput } from "./api-client.inputs";
import { ApiClientWithSecret, RevokedApiClient, TokenPayload } from "./api-client.types";

@Resolver(() => ApiClient)
export class ApiClientResolver {
  @Query(() => [ApiClient], { description: "All API clients (organiser only)." })
  apiClients(@Ctx() context: VenuesContext) {
    return context.apiClients.list();
  }

  @Mutation(() => TokenPayload, {
    description: "Exchanges client credentials for a bearer token (valid for TOKEN_TTL_SECONDS, default one hour). Errors: UNAUTHENTICATED.",
  })
  issueToken(
    @Arg("clientId", { description: 'The client id given by the organisers, e.g. "demo-venue".' }) clientId: string,
    @Arg("clientSecret", {
      description: "The client secret, shown once when the client was created or its secret rotated. Keep it server-side; never ship it to a browser or app.",
    })
    clientSecret: string,
    @Ctx() context: VenuesContext,
  ) {
    return context.apiClients.issueToken(clientId, clientSecret);
  }

  @Mutation(() => ApiClientWithSecret, { description: "Organiser only. The secret is returned once. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN." })
  createApiClient(
    @Arg("input", { description: "The client's name, role and the organisation, venue or judge it acts for." }) input: CreateApiClientInput,
    @Ctx() context: VenuesContext,
  ) {
    return context.apiClients.create(input);
  }

  @Mutation(() => ApiClientWithSecret, {
    description:
      "Organiser only. Replaces the client's secret (returned once); the old one keeps working for graceSeconds (default one day) so the partner can switch without downtime.",
  })
  rotateApiClientSecret(
    @Arg("id", () => ID, { description: "The client's id (ApiClient.id, not its clientId). NOT_FOUND when unknown." }) id: string,
    @Arg("graceSeconds", () => Int, { defaultValue: 86400, description: "How long the old secret keeps working, 0 to 2592000 seconds." }) graceSeconds: number,
    @Ctx() context: VenuesContext,
  ) {
    return context.apiClients.rotateSecret(id, graceSeconds);
  }

  @Mutation(() => ApiClient, {
    description: "Organiser only. Gives the client its own rate limit (both values), or the default again (both null). Applies to tokens issued afterwards.",
  })
  setApiClientRateLimit(
    @Arg("id", () => ID, { description: "The client's id (ApiClient.id)." }) id: string,
    @Arg("perSecond", () => Int, { nullable: true, description: "Sustained requests per second, 1 to 100000." }) perSecond: number | null,
    @Arg("burst", () => Int, { nullable: true, description: "Requests at once above the sustained rate, 1 to 100000." }) burst: number | null,
    @Ctx() context: VenuesContext,
  ) {
    return context.apiClients.setRateLimit(id, perSecond, burst);
  }

  @Query(() => [RevokedApiClient], { description: "Internal, not exposed by the gateway: revoked clients, polled by every service." })
  @Directive("@inaccessible")
  revokedApiClients(@Ctx() context: VenuesContext) {
    return context.apiClients.revokedClients();
  }

  @Mutation(() => ApiClient, {
    description:
      "Organiser only. The client can no longer obtain tokens, and the tokens it has stop working everywhere within about a second (a process that missed the event: at its next refresh, REVOCATION_POLL_SECONDS, 30 s).",
  })
  revokeApiClient(
    @Arg("id", () => ID, { description: "The client's id (ApiClient.id, not its clientId). NOT_FOUND when unknown." }) id: string,
    @Ctx() context: VenuesContext,
  ) {
    return context.apiClients.revoke(id);
  }
}
