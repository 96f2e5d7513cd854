import { Field, ID, InputType } from "type-graphql";
import { Role } from "../../../lib/auth";

@InputType({ description: "New API credentials (organiser only). Give organizationId for PARTNER, venueId for VENUE, judgeId for JUDGE." })
export class CreateApiClientInput {
  @Field({ description: "Who uses these credentials, e.g. \"Lisbon station web site\"." })
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => ID, { nullable: true })
  organizationId?: string | null;

  @Field(() => ID, { nullable: true })
  venueId?: string | null;

  @Field(() => ID, { nullable: true })
  judgeId?: string | null;
}
