import { Arg, Ctx, Directive, Field, ID, InputType, Int, Mutation, Resolver } from "type-graphql";
import type { EntriesContext } from "../context";

@InputType({ description: "Internal: a set of entries another subgraph grants to the public or to one judge." })
export class ReplaceEntryGrantsInput {
  @Field({ description: 'Who grants, e.g. "exhibition:<id>", "awards:<roundId>", "round:<id>".' })
  source!: string;

  @Field(() => Boolean, { nullable: true, description: "Grant to the public (published exhibitions and awards)." })
  public?: boolean | null;

  @Field(() => ID, { nullable: true, description: "Grant to one judge (assignments)." })
  judgeId?: string | null;

  @Field(() => [ID], { description: "Internal: the complete set of entries granted by this source; entries left out lose the grant." })
  entryIds!: string[];
}

@Resolver()
export class EntryGrantResolver {
  @Mutation(() => Int, {
    description: "Internal, not exposed by the gateway: replaces the entries a source grants to an audience. Organiser or service token.",
  })
  @Directive("@inaccessible")
  replaceEntryGrants(@Arg("input") input: ReplaceEntryGrantsInput, @Ctx() context: EntriesContext) {
    return context.entryGrants.replace(input.source, { public: input.public, judgeId: input.judgeId }, input.entryIds);
  }
}
