import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../../lib/pagination";
import { Entrant } from "../entry/entry.entity";
import { OrganizationReference } from "../organization/organization.type";
import { EntrantCollisionResolution } from "./entrant.store";

registerEnumType(EntrantCollisionResolution, {
  name: "EntrantCollisionResolution",
  description: "How an organiser resolved an e-mail address entered by several organisations.",
  valuesConfig: {
    SAME_PERSON: { description: "One photographer entering through several organisations: the per-theme limit counts their entries together (the default)." },
    DIFFERENT_PEOPLE: { description: "Different people sharing an address: each organisation's entrant has the per-theme limit on its own." },
  },
});

@ObjectType({ description: "One organisation's record of a colliding e-mail address (organisers only)." })
export class CollidingEntrant {
  @Field(() => OrganizationReference, { description: "The organisation (tenant) that entered and owns this record." })
  organization!: OrganizationReference;

  @Field(() => Entrant, { description: "The record as that organisation entered it." })
  entrant!: Entrant;

  @Field(() => Int, { description: "Entries that organisation made with this record, any status." })
  entries!: number;
}

@ObjectType({ description: "An e-mail address entered by more than one organisation (organisers only). Each organisation keeps and sees only its own record." })
export class EntrantCollision {
  @Field({ description: "The shared e-mail address." })
  email!: string;

  @Field(() => [CollidingEntrant], { description: "Each organisation's record, oldest first." })
  entrants!: CollidingEntrant[];

  @Field(() => EntrantCollisionResolution, {
    nullable: true,
    description:
      "How organisers resolved it; null while unresolved, also when another organisation has entered the address since (the limit then counts the address competition-wide).",
  })
  resolution!: EntrantCollisionResolution | null;

  @Field(() => String, { nullable: true, description: "The organiser's note on the resolution, if any." })
  note!: string | null;

  @Field(() => Date, { nullable: true, description: "When it was last resolved; null while unresolved." })
  resolvedAt!: Date | null;
}

export const EntrantCollisionConnection = ConnectionType("EntrantCollision", EntrantCollision, "A page of colliding e-mail addresses, by address.");
