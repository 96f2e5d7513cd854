import { Field, ID, InputType, Int } from "type-graphql";
import { ExhibitionTranslationInput } from "../exhibition/exhibition.translations";

@InputType({ description: "A new section of an exhibition." })
export class AddExhibitionSectionInput {
  @Field(() => ID, { description: "The exhibition to add the section to." })
  exhibitionId!: string;

  @Field(() => [ExhibitionTranslationInput], {
    description: "The section's title in one or more languages (at most 200 characters each), the exhibition's default language included.",
  })
  title!: ExhibitionTranslationInput[];

  @Field(() => [ExhibitionTranslationInput], { nullable: true, description: "An introduction in one or more languages (at most 5000 characters each)." })
  description?: ExhibitionTranslationInput[] | null;

  @Field(() => Int, { nullable: true, description: "Where to insert it, from 1; default: after the last section." })
  position?: number | null;
}

@InputType({ description: "Changes to a section; omitted fields stay as they are. Texts given replace all languages of that text." })
export class UpdateExhibitionSectionInput {
  @Field(() => ID, { description: "The section to change." })
  id!: string;

  @Field(() => [ExhibitionTranslationInput], {
    nullable: true,
    description: "Replaces the title in all languages; the exhibition's default language must be among them.",
  })
  title?: ExhibitionTranslationInput[] | null;

  @Field(() => [ExhibitionTranslationInput], { nullable: true, description: "An empty list removes the description." })
  description?: ExhibitionTranslationInput[] | null;

  @Field(() => Int, { nullable: true, description: "Moves the section to this position, from 1; the others shift." })
  position?: number | null;
}
