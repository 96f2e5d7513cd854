import { Field, Int, ObjectType } from "type-graphql";
import { ConnectionType } from "../../../lib/pagination";
import { Entry } from "./entry.entity";

export const EntryConnection = ConnectionType("Entry", Entry, "A page of entries, newest first.");

@ObjectType({ description: "How many entries share one value of the grouping (a venue id, theme, country, kind or status)." })
export class EntryStat {
  @Field({ description: "The group's value: a venue id, a ThemeCode, an ISO country code, an EntryKind or an EntryStatus." })
  key!: string;

  @Field(() => Int, { description: "Entries in the group, drafts included." })
  count!: number;

  @Field(() => Int, { description: "Of those, entries that are SUBMITTED." })
  submitted!: number;

  @Field(() => Int, { description: "Photos in the group's entries." })
  photos!: number;

  @Field(() => Int, { description: "Micro-videos in the group's entries." })
  videos!: number;
}
