import { Field, ID, ObjectType } from "type-graphql";
import { Judge } from "./judge.entity";

@ObjectType({ description: "A judge's login: API client credentials for issueToken. The secret is shown only here, once." })
export class JudgeLogin {
  @Field(() => Judge, { description: "The judge the login belongs to." })
  judge!: Judge;

  @Field(() => ID, { description: "The API client's id in the venues subgraph (for rotateApiClientSecret / revokeApiClient)." })
  apiClientId!: string;

  @Field({ description: "Pass to issueToken as clientId." })
  clientId!: string;

  @Field({ description: "Pass to issueToken as clientSecret; store it safely, it cannot be shown again." })
  clientSecret!: string;
}
