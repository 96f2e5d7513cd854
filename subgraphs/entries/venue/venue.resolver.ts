import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { PageArguments } from "../../../lib/pagination";
import type { EntriesContext } from "../context";
import { EntryStatus } from "../entry/entry.entity";
import { EntryConnection } from "../entry/entry.types";
import { VenueReference } from "./venue.type";

@Resolver(() => VenueReference)
export class VenueEntriesResolver {
  @FieldResolver(() => EntryConnection, {
    description:
      "Entries that came through this venue, newest first, that the caller may see (all of them for the venue, its organisation and organisers; public ones for others). Judges: FORBIDDEN (a list by venue would tell them where their assigned entries come from).",
  })
  entries(
    @Root() venue: VenueReference,
    @Arg("status", () => EntryStatus, { nullable: true, description: "Only entries in this status, e.g. SUBMITTED; omit for all." }) status: EntryStatus | null,
    @Args() page: PageArguments,
    @Ctx() context: EntriesContext,
  ) {
    return context.entries.venueEntries(venue.id, { status: status ?? null, first: page.first ?? null, after: page.after ?? null });
  }
}
