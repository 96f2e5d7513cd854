import { Field, ID, InputType } from "type-graphql";
import { Role } from "../../../lib/auth";

@InputType({ description: "New API credentials (organiser only). Give organizationId for PARTNER, venueId for VENUE, judgeId for JUDGE." })
export class CreateApiClientInput {
  @Field({ description: 'Who uses these credentials, e.g. "Lisbon station web site".' })
  name!: string;

  @Field(() => Role, { description: "The role of the tokens the client obtains; it decides which of organizationId, venueId or judgeId is required." })
  role!: Role;

  @Field(() => ID, { nullable: true, description: "Required for PARTNER clients (and only for them): the organisation the client acts for." })
  organizationId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Required for VENUE clients (and only for them): the venue the client acts for; its organisation is taken from the venue.",
  })
  venueId?: string | null;

  @Field(() => ID, { nullable: true, description: "Required for JUDGE clients (and only for them): the judge (Judge.id) the client acts for." })
  judgeId?: string | null;
}
