import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The venues subgraph's Venue, as the judging subgraph knows it: by id. */
@ObjectType("Venue")
@Directive('@key(fields: "id")')
export class VenueReference {
  @Field(() => ID)
  id!: string;
}
