import { Field, ObjectType } from "type-graphql";
import { Role } from "../../../lib/auth";
import { ApiClient } from "./api-client.entity";

@ObjectType({ description: "A bearer token for the Authorization header." })
export class TokenPayload {
  @Field({ description: "Send as `Authorization: Bearer <accessToken>`." })
  accessToken!: string;

  @Field({ description: "The token stops working at this time; request a new one before." })
  expiresAt!: Date;

  @Field(() => Role, { description: "The token's role; it decides what every query and mutation may read and change." })
  role!: Role;

  @Field({ description: 'Always "Bearer".' })
  tokenType!: string;
}

@ObjectType({ description: "A client with its secret. The secret is shown only here, once: store it safely." })
export class ApiClientWithSecret {
  @Field(() => ApiClient, { description: "The API client, as listed later by apiClients." })
  client!: ApiClient;

  @Field({ description: "The secret to pass to issueToken. Shown only in this response: store it now; a lost secret must be rotated." })
  clientSecret!: string;
}

@ObjectType({ description: "Internal: a revoked client and when it was revoked." })
export class RevokedApiClient {
  @Field({ description: "Internal: the revoked client's clientId." })
  clientId!: string;

  @Field({ description: "Internal: when it was revoked." })
  revokedAt!: Date;
}
