import { Arg, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { ThemeCode } from "../../../lib/themes";
import type { EntriesContext } from "../context";
import { EntryKind, EntryStatus } from "./entry.entity";

@ObjectType({ description: "Internal: what other subgraphs need to know of an entry to judge or exhibit it (no identity)." })
export class EntryFact {
  @Field(() => ID)
  id!: string;

  @Field(() => ThemeCode)
  theme!: ThemeCode;

  @Field(() => EntryKind)
  kind!: EntryKind;

  @Field(() => EntryStatus)
  status!: EntryStatus;

  @Field(() => ID)
  venueId!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field()
  consentToPublication!: boolean;

  @Field()
  createdAt!: Date;
}

@Resolver()
export class EntryFactResolver {
  @Query(() => [EntryFact], {
    description:
      "Internal, not exposed by the gateway (organiser or service token): facts of the given entries, or of all entries in a theme/status, by id, in pages of up to 5000 (pass the last id as afterId).",
  })
  @Directive("@inaccessible")
  entryFacts(
    @Arg("ids", () => [ID], { nullable: true }) ids: string[] | null,
    @Arg("theme", () => ThemeCode, { nullable: true }) theme: ThemeCode | null,
    @Arg("status", () => EntryStatus, { nullable: true }) status: EntryStatus | null,
    @Arg("afterId", () => ID, { nullable: true }) afterId: string | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Ctx() context: EntriesContext,
  ) {
    return context.entries.facts({ ids, theme, status, afterId, first });
  }
}
