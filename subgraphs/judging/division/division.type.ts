import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The venues subgraph's Division, as the judging subgraph knows it: by id. */
@ObjectType("Division")
@Directive('@key(fields: "id")')
export class DivisionReference {
  @Field(() => ID)
  id!: string;
}
