import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { PageArguments } from "../../../lib/pagination";
import { ApiClient } from "../api-client/api-client.entity";
import type { VenuesContext } from "../context";
import { RegisteredOperationConnection, RegisteredOperationSet, RegisteredOperationsSnapshot } from "./registered-operation.types";

@Resolver(() => RegisteredOperationSet)
export class RegisteredOperationResolver {
  @Mutation(() => RegisteredOperationSet, {
    description:
      'Registers the operations a client sends (trusted documents), from a persisted-documents manifest as GraphQL Code Generator\'s client preset writes it: { "<sha256 of the text>": "<document text>" }. Adds to what is registered; nothing is registered if any document is wrong. Partners and venues register for their own client; organisers for any, or for the public safelist. Errors: BAD_USER_INPUT (extensions.problems: HASH_MISMATCH, PARSE_FAILED, VALIDATION_FAILED, …), FORBIDDEN, NOT_FOUND.',
  })
  registerOperations(
    @Arg("clientId", () => ID, {
      nullable: true,
      description: "The API client (ApiClient.id). Partners and venues may omit it (their own client); organisers must give it unless publicSafelist is set.",
    })
    clientId: string | null,
    @Arg("manifest", () => GraphQLJSON, {
      description: "The manifest: a JSON object mapping each document's SHA-256 hash (lowercase hex) to its text; at most 1000 documents.",
    })
    manifest: unknown,
    @Arg("publicSafelist", {
      defaultValue: false,
      description: "Organisers only: register into the public safelist, the operations callers without a token may send when the public is registered-only.",
    })
    publicSafelist: boolean,
    @Ctx() context: VenuesContext,
  ) {
    return context.registeredOperations.register(clientId, manifest, publicSafelist);
  }

  @Mutation(() => RegisteredOperationSet, {
    description:
      "Removes documents from a set, e.g. those of a site version no longer deployed, so schema changes are no longer held to them. Same rights as registerOperations. Errors: BAD_USER_INPUT, FORBIDDEN, NOT_FOUND.",
  })
  unregisterOperations(
    @Arg("clientId", () => ID, { nullable: true, description: "The API client (ApiClient.id); partners and venues may omit it (their own client)." })
    clientId: string | null,
    @Arg("hashes", () => [String], { description: "The documents' SHA-256 hashes (RegisteredOperation.hash), 1 to 1000." }) hashes: string[],
    @Arg("publicSafelist", { defaultValue: false, description: "Organisers only: remove from the public safelist." }) publicSafelist: boolean,
    @Ctx() context: VenuesContext,
  ) {
    return context.registeredOperations.unregister(clientId, hashes, publicSafelist);
  }

  @Query(() => RegisteredOperationSet, {
    description:
      "The operations registered for a client: partners and venues their own (omit clientId); organisers any client's, or the public safelist. Errors: FORBIDDEN, NOT_FOUND.",
  })
  registeredOperationSet(
    @Arg("clientId", () => ID, { nullable: true, description: "The API client (ApiClient.id); omit for your own client." }) clientId: string | null,
    @Arg("publicSafelist", { defaultValue: false, description: "Organisers only: the public safelist instead of a client's set." }) publicSafelist: boolean,
    @Ctx() context: VenuesContext,
  ) {
    return context.registeredOperations.set(clientId, publicSafelist);
  }

  @Query(() => [RegisteredOperationSet], { description: "Organiser only: every client that registered operations, and the public safelist when it holds any." })
  registeredOperationSets(@Ctx() context: VenuesContext) {
    return context.registeredOperations.sets();
  }

  @FieldResolver(() => RegisteredOperationConnection, { description: "The registered documents, newest first." })
  operations(@Root() set: RegisteredOperationSet, @Args() page: PageArguments, @Ctx() context: VenuesContext) {
    return context.registeredOperations.operations(set, page);
  }

  @Mutation(() => ApiClient, {
    description:
      "Organiser only. true: the gateway serves the client only its registered operations (and the public safelist); false: any operation within the limits; null: the default for its role. Applies within REGISTERED_OPERATIONS_POLL_SECONDS.",
  })
  setApiClientRegisteredOperationsOnly(
    @Arg("id", () => ID, { description: "The client's id (ApiClient.id)." }) id: string,
    @Arg("registeredOperationsOnly", () => Boolean, { nullable: true, description: "true, false, or null for the role's default." })
    registeredOperationsOnly: boolean | null,
    @Ctx() context: VenuesContext,
  ) {
    return context.registeredOperations.setRegisteredOperationsOnly(id, registeredOperationsOnly);
  }

  @Query(() => RegisteredOperationsSnapshot, {
    description: "Internal, not exposed by the gateway: registered operations and settings, polled by the gateways.",
  })
  @Directive("@inaccessible")
  registeredOperationsSnapshot(
    @Arg("knownRevision", () => String, { nullable: true, description: "Internal: the revision the caller holds." }) knownRevision: string | null,
    @Ctx() context: VenuesContext,
  ) {
    return context.registeredOperations.snapshot(knownRevision);
  }
}
