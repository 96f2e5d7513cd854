import { Field, ID, InputType } from "type-graphql";
import { ExhibitionTranslationInput } from "./exhibition.translations";
import { ExhibitionKind, ExhibitionStatus } from "./exhibition.entity";

@InputType({ description: "Narrows the exhibition list; all given conditions must hold." })
export class ExhibitionFilter {
  @Field(() => ExhibitionStatus, {
    nullable: true,
    description: "Drafts and archived ones are listed only to those who may see them (organisers, the owning organisation).",
  })
  status?: ExhibitionStatus | null;

  @Field(() => ExhibitionKind, { nullable: true, description: "Only ONLINE or only ONSITE exhibitions." })
  kind?: ExhibitionKind | null;

  @Field(() => ID, { nullable: true, description: "Only exhibitions shown at this venue." })
  hostVenueId?: string | null;
}

@InputType({ description: "A new exhibition (organiser, or partner for an exhibition at its own venues). It starts as a DRAFT." })
export class CreateExhibitionInput {
  @Field({
    description:
      'Unique address: 3 to 100 lower-case letters, digits and single dashes, e.g. "harmonious-co-existence". It is also the idempotency key: the same create retried by the same caller returns the same draft; otherwise a taken slug is CONFLICT.',
  })
  slug!: string;

  @Field(() => ExhibitionKind, { description: "ONLINE, or ONSITE (needs a host venue)." })
  kind!: ExhibitionKind;

  @Field({ description: 'The language texts fall back to, e.g. "zh"; the title must be given in it.' })
  defaultLocale!: string;

  @Field(() => [ExhibitionTranslationInput], {
    description: "The title in one or more languages (at most 200 characters each), the default language included.",
  })
  title!: ExhibitionTranslationInput[];

  @Field(() => [ExhibitionTranslationInput], { nullable: true, description: "The curator's text in one or more languages (at most 5000 characters each)." })
  description?: ExhibitionTranslationInput[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: "Venues showing the exhibition, in order (at most 60). ONSITE needs at least one; a partner's must all be its own venues (at least one).",
  })
  hostVenueIds?: string[] | null;

  @Field(() => Date, { nullable: true, description: "Opening date and time." })
  opensAt?: Date | null;

  @Field(() => Date, { nullable: true, description: "Closing date and time, after opensAt." })
  closesAt?: Date | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "Organisers only: the partner organisation that will own (and may edit) the exhibition. A partner's exhibition is always its own organisation's.",
  })
  organizationId?: string | null;
}

@InputType({ description: "Changes to an exhibition; omitted fields stay as they are. Texts given replace all languages of that text." })
export class UpdateExhibitionInput {
  @Field(() => ID, { description: "The exhibition to change." })
  id!: string;

  @Field(() => String, { nullable: true, description: "A new unique slug (same rules as on creation); CONFLICT when taken." })
  slug?: string | null;

  @Field(() => ExhibitionKind, { nullable: true, description: "ONLINE, or ONSITE (needs a host venue)." })
  kind?: ExhibitionKind | null;

  @Field(() => String, { nullable: true, description: "A new default language; the title must exist in it." })
  defaultLocale?: string | null;

  @Field(() => [ExhibitionTranslationInput], {
    nullable: true,
    description: "Replaces the title in all languages (at most 200 characters each); the default language must be among them.",
  })
  title?: ExhibitionTranslationInput[] | null;

  @Field(() => [ExhibitionTranslationInput], { nullable: true, description: "An empty list removes the description." })
  description?: ExhibitionTranslationInput[] | null;

  @Field(() => [ID], { nullable: true, description: "Replaces the host venues (same rules as on creation)." })
  hostVenueIds?: string[] | null;

  @Field(() => Date, { nullable: true, description: "null removes the date." })
  opensAt?: Date | null;

  @Field(() => Date, { nullable: true, description: "null removes the date." })
  closesAt?: Date | null;
}
