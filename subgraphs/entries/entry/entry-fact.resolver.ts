import { Arg, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { ThemeCode } from "../../../lib/themes";
import type { EntriesContext } from "../context";
import { EntryKind, EntryStatus } from "./entry.entity";

@ObjectType({ description: "Internal: what other subgraphs need to know of an entry to judge or exhibit it (no identity)." })
export class EntryFact {
  @Field(() => ID, { description: "Internal (used between subgraphs, not reachable through the gateway): the entry's id." })
  id!: string;

  @Field(() => ThemeCode, { description: "Internal: the entry's theme." })
  theme!: ThemeCode;

  @Field(() => EntryKind, { description: "Internal: the entry's kind." })
  kind!: EntryKind;

  @Field(() => EntryStatus, { description: "Internal: the entry's status." })
  status!: EntryStatus;

  @Field(() => ID, { description: "Internal: the venue it came through." })
  venueId!: string;

  @Field(() => ID, { description: "Internal: the organisation running that venue." })
  organizationId!: string;

  @Field({ description: "Internal: whether the entrant allows publication." })
  consentToPublication!: boolean;

  @Field({ description: "Internal: when the entry was created." })
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
