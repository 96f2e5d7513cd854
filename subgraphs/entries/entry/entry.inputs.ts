import { Field, ID, InputType, registerEnumType } from "type-graphql";
import { ThemeCode } from "../../../lib/themes";
import { EntryKind, EntryStatus } from "./entry.entity";

@InputType({ description: "The photographer an entry is made for." })
export class EntrantInput {
  @Field({ description: "Full name, at most 200 characters." })
  name!: string;

  @Field({ description: "Contact e-mail; identifies the entrant for the per-theme entry limit." })
  email!: string;

  @Field({ description: 'ISO 3166-1 alpha-2 country of residence, e.g. "PT".' })
  country!: string;

  @Field(() => String, { nullable: true, description: "Contact phone number, optional, at most 40 characters." })
  phone?: string | null;
}

@InputType({ description: "A new entry, created as a DRAFT by a venue (or partner) for a photographer." })
export class CreateEntryInput {
  @Field(() => ID, { description: "The venue the entry comes through; must be one of the token's venues." })
  venueId!: string;

  @Field(() => ThemeCode, { description: "One of the competition's five themes." })
  theme!: ThemeCode;

  @Field(() => EntryKind, { description: "PHOTO_SET, SINGLE_PHOTO or MICRO_VIDEO; decides which upload mutation the draft takes." })
  kind!: EntryKind;

  @Field({ description: "At most 200 characters." })
  title!: string;

  @Field(() => String, { nullable: true, description: "At most 5000 characters." })
  description?: string | null;

  @Field(() => EntrantInput, { description: "The photographer; an existing entrant with the same e-mail is reused." })
  entrant!: EntrantInput;

  @Field(() => String, { nullable: true, description: "The name to publish with the work; defaults to the entrant's name." })
  creditName?: string | null;

  @Field({ description: "The entrant accepts the competition rules. Must be true." })
  consentToRules!: boolean;

  @Field({ description: "The entrant allows the work and their name and country to be published in exhibitions and results." })
  consentToPublication!: boolean;

  @Field({ description: "The entrant declares no generative AI was used (AI-assisted edits are allowed). Must be true." })
  declaresNoGenerativeAi!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      "Any unique string (e.g. a UUID) per intended entry: retrying with the same key returns the same entry instead of creating another. 8 to 128 characters.",
  })
  idempotencyKey?: string | null;
}

@InputType({ description: "Narrows an entry list; all given conditions must hold." })
export class EntryFilter {
  @Field(() => ID, {
    nullable: true,
    description: "Only the entries that came through this venue (Venue.id). Judges: FORBIDDEN (the venue is hidden from them in blind judging).",
  })
  venueId?: string | null;

  @Field(() => ThemeCode, { nullable: true, description: "Only the entries in this theme." })
  theme?: ThemeCode | null;

  @Field(() => EntryKind, { nullable: true, description: "Only photo sets, single photos or micro-videos." })
  kind?: EntryKind | null;

  @Field(() => EntryStatus, { nullable: true, description: "Only the entries in this status, e.g. SUBMITTED." })
  status?: EntryStatus | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Entrant's ISO 3166-1 alpha-2 country. Matches only entries whose Entry.country the caller may read, so an entrant who refused publication never matches for the public or another organisation. Judges: FORBIDDEN (blind judging).",
  })
  country?: string | null;
}

export enum EntryStatsGroup {
  VENUE = "VENUE",
  THEME = "THEME",
  COUNTRY = "COUNTRY",
  KIND = "KIND",
  STATUS = "STATUS",
}
registerEnumType(EntryStatsGroup, {
  name: "EntryStatsGroup",
  description: "What entryStats counts by.",
  valuesConfig: {
    VENUE: { description: "One count per branch venue (key: the venue id)." },
    THEME: { description: "One count per theme (key: the theme code)." },
    COUNTRY: { description: "One count per entrant country (key: ISO 3166-1 alpha-2 code)." },
    KIND: { description: "One count per kind of entry (key: PHOTO_SET, SINGLE_PHOTO or MICRO_VIDEO)." },
    STATUS: { description: "One count per status (key: DRAFT, SUBMITTED, WITHDRAWN or DISQUALIFIED)." },
  },
});
