import { Field, ObjectType } from "type-graphql";
import { Role } from "../../../lib/auth";
import { ApiClient } from "./api-client.entity";

@ObjectType({ description: "A bearer token for the Authorization header." })
export class TokenPayload {
  @Field({ description: "Send as `Authorization: Bearer <accessToken>`." })
  accessToken!: string;

  @Field({ description: "The token stops working at this time; request a new one before." })
  expiresAt!: Date;

  @Field(() => Role)
  role!: Role;

  @Field({ description: "Always \"Bearer\"." })
  tokenType!: string;
}

@ObjectType({ description: "A client with its secret. The secret is shown only here, once: store it safely." })
export class ApiClientWithSecret {
  @Field(() => ApiClient)
  client!: ApiClient;

  @Field()
  clientSecret!: string;
}
