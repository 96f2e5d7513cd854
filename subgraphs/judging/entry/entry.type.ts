import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The entries subgraph's Entry, as the judging subgraph knows it: by id. */
@ObjectType("Entry")
@Directive('@key(fields: "id")')
export class EntryReference {
  @Field(() => ID)
  id!: string;
}
