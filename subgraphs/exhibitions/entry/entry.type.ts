import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The entries subgraph's Entry, as the exhibitions subgraph knows it: by id. */
@ObjectType("Entry")
@Directive('@key(fields: "id")')
export class EntryReference {
  @Field(() => ID, { description: "Stable id of the entry." })
  id!: string;
}
