import { Field, Int, ObjectType } from "type-graphql";
import { ConnectionType } from "../../../lib/pagination";
import { ApiClient } from "../api-client/api-client.entity";

@ObjectType({ description: "One registered operation document (a trusted document): send its hash instead of its text." })
export class RegisteredOperation {
  @Field({ description: "The SHA-256 hash (lowercase hex) of the document text: the document id requests may send." })
  hash!: string;

  @Field({ description: "The document text exactly as registered." })
  document!: string;

  @Field(() => [String], { description: 'The names of the operations the document defines ("(anonymous)" for an unnamed one).' })
  operationNames!: string[];

  @Field({ description: "Who registered it: the API client's clientId, or the organiser's token subject." })
  registeredBy!: string;

  @Field({ description: "When it was registered (ISO 8601, UTC)." })
  registeredAt!: Date;
}

export const RegisteredOperationConnection = ConnectionType("RegisteredOperation", RegisteredOperation, "A page of registered operations, newest first.");

@ObjectType({ description: "The operations registered for one API client, or the public safelist (operations anyone may send without a token)." })
export class RegisteredOperationSet {
  /** Internal: the owning client's id, null for the public safelist. */
  apiClientId!: string | null;

  @Field(() => ApiClient, { nullable: true, description: "The client the operations belong to; null for the public safelist." })
  client!: ApiClient | null;

  @Field({ description: "True for the public safelist (registered by organisers, usable by every caller, with or without a token)." })
  publicSafelist!: boolean;

  @Field({
    description:
      "Whether the gateway refuses this client's operations that are not in this set (or the public safelist): the client's setting, else the default for its role.",
  })
  registeredOperationsOnly!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: "Set by registerOperations: how many of the manifest's operations were new (the others were registered already).",
  })
  added!: number | null;

  @Field(() => Int, { nullable: true, description: "Set by unregisterOperations: how many of the given hashes were registered and are now removed." })
  removed!: number | null;
}

@ObjectType({ description: "Internal: a client whose registered-only setting is set." })
export class RegisteredOperationsClientSetting {
  @Field({ description: "Internal: the client's clientId (as in tokens)." })
  clientId!: string;

  @Field({ description: "Internal: the setting." })
  registeredOperationsOnly!: boolean;
}

@ObjectType({ description: "Internal: one registered operation for the gateways." })
export class RegisteredOperationEntry {
  @Field(() => String, { nullable: true, description: "Internal: the owning client's clientId; null for the public safelist." })
  clientId!: string | null;

  @Field({ description: "Internal: the document hash." })
  hash!: string;

  @Field({ description: "Internal: the document text." })
  document!: string;
}

@ObjectType({ description: "Internal: what the gateways need to serve registered operations, polled by revision." })
export class RegisteredOperationsSnapshot {
  @Field({ description: "Internal: the revision; pass it back as knownRevision." })
  revision!: string;

  @Field({ description: "Internal: false when knownRevision is current (the lists are then empty)." })
  changed!: boolean;

  @Field(() => [RegisteredOperationsClientSetting], { description: "Internal: clients with a registered-only setting." })
  settings!: RegisteredOperationsClientSetting[];

  @Field(() => [RegisteredOperationEntry], { description: "Internal: every registered operation." })
  operations!: RegisteredOperationEntry[];
}
