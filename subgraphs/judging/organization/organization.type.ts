import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The venues subgraph's Organization, as the judging subgraph knows it: by id. */
@ObjectType("Organization")
@Directive('@key(fields: "id")')
export class OrganizationReference {
  @Field(() => ID)
  id!: string;
}
