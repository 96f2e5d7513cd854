import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { VenuesContext } from "../context";
import { ApiClient } from "./api-client.entity";
import { CreateApiClientInput } from "./api-client.inputs";
import { ApiClientWithSecret, TokenPayload } from "./api-client.types";

@Resolver(() => ApiClient)
export class ApiClientResolver {
  @Query(() => [ApiClient], { description: "All API clients (organiser only)." })
  apiClients(@Ctx() context: VenuesContext) {
    return context.apiClients.list();
  }

  @Mutation(() => TokenPayload, {
    description: "Exchanges client credentials for a bearer token (valid for TOKEN_TTL_SECONDS, default one hour). Errors: UNAUTHENTICATED.",
  })
  issueToken(@Arg("clientId") clientId: string, @Arg("clientSecret") clientSecret: string, @Ctx() context: VenuesContext) {
    return context.apiClients.issueToken(clientId, clientSecret);
  }

  @Mutation(() => ApiClientWithSecret, { description: "Organiser only. The secret is returned once. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN." })
  createApiClient(@Arg("input") input: CreateApiClientInput, @Ctx() context: VenuesContext) {
    return context.apiClients.create(input);
  }

  @Mutation(() => ApiClientWithSecret, { description: "Organiser only. Replaces the client's secret; the new one is returned once." })
  rotateApiClientSecret(@Arg("id", () => ID) id: string, @Ctx() context: VenuesContext) {
    return context.apiClients.rotateSecret(id);
  }

  @Mutation(() => ApiClient, { description: "Organiser only. The client can no longer obtain tokens." })
  revokeApiClient(@Arg("id", () => ID) id: string, @Ctx() context: VenuesContext) {
    return context.apiClients.revoke(id);
  }
}
