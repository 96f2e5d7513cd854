import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The venues subgraph's Organization, as the entries subgraph knows it: by id. */
@ObjectType("Organization")
@Directive('@key(fields: "id", resolvable: false)')
export class OrganizationReference {
  @Field(() => ID, { description: "Stable id of the organisation." })
  id!: string;
}
