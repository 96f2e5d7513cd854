import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The venues subgraph's Venue, as the exhibitions subgraph knows it: by id. */
@ObjectType("Venue")
@Directive('@key(fields: "id")')
export class VenueReference {
  @Field(() => ID, { description: "Stable id of the venue; pass it as venueId when creating entries or filtering lists." })
  id!: string;
}
