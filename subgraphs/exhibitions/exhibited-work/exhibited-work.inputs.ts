import { Field, ID, InputType } from "type-graphql";
import { ExhibitionTranslationInput } from "../exhibition/exhibition.translations";

@InputType({ description: "One entry to show, with its section and caption." })
export class NewExhibitedWorkInput {
  @Field(() => ID, { description: "The competition entry: SUBMITTED, not disqualified, with the entrant's consent to publication." })
  entryId!: string;

  @Field(() => ID, { nullable: true, description: "A section of the same exhibition; none by default." })
  sectionId?: string | null;

  @Field(() => [ExhibitionTranslationInput], { nullable: true, description: "The caption in one or more languages, at most 5000 characters each." })
  caption?: ExhibitionTranslationInput[] | null;
}

@InputType({ description: "Works to append to an exhibition, in this order (1 to 500 per call)." })
export class AddExhibitedWorksInput {
  @Field(() => ID, { description: "The exhibition to add to (any status; on a PUBLISHED one the entries are made public first)." })
  exhibitionId!: string;

  @Field(() => [NewExhibitedWorkInput], { description: "The works, appended after the last work in this order." })
  works!: NewExhibitedWorkInput[];
}

@InputType({ description: "Changes to a work; omitted fields stay as they are." })
export class UpdateExhibitedWorkInput {
  @Field(() => ID, { description: "The work to change." })
  id!: string;

  @Field(() => [ExhibitionTranslationInput], { nullable: true, description: "Replaces the caption in all languages; an empty list removes it." })
  caption?: ExhibitionTranslationInput[] | null;

  @Field(() => ID, { nullable: true, description: "Moves the work to this section of the same exhibition; null takes it out of its section." })
  sectionId?: string | null;
}
