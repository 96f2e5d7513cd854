import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { PageArguments } from "../../../lib/pagination";
import type { ExhibitionsContext } from "../context";
import { ExhibitedWorkConnection } from "../exhibited-work/exhibited-work.types";
import { ExhibitionTranslation, translationsOf } from "../exhibition/exhibition.translations";
import { Exhibition } from "../exhibition/exhibition.entity";
import { ExhibitionSection } from "./exhibition-section.entity";
import { AddExhibitionSectionInput, UpdateExhibitionSectionInput } from "./exhibition-section.inputs";

const LOCALE_DESCRIPTION = 'Language to return, e.g. "zh", "en", "pt"; default: the Accept-Language header, then the exhibition\'s default language.';

@Resolver(() => ExhibitionSection)
export class ExhibitionSectionResolver {
  @Mutation(() => ExhibitionSection, {
    description: "Adds a section (organisers; the owning partner). Errors: BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.",
  })
  addExhibitionSection(
    @Arg("input", { description: "The exhibition and the new section's texts." }) input: AddExhibitionSectionInput,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.sections.add(input);
  }

  @Mutation(() => ExhibitionSection, {
    description: "Renames, describes or moves a section (organisers; the owning partner). Errors: BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.",
  })
  updateExhibitionSection(
    @Arg("input", { description: "The section's id and the fields to change." }) input: UpdateExhibitionSectionInput,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.sections.update(input);
  }

  @Mutation(() => Exhibition, {
    description: "Removes a section; its works stay on show, in no section (organisers; the owning partner). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.",
  })
  removeExhibitionSection(@Arg("id", () => ID, { description: "The section to remove." }) id: string, @Ctx() context: ExhibitionsContext) {
    return context.sections.remove(id);
  }

  @FieldResolver(() => String, { description: "The title in the requested language, else the exhibition's default language." })
  async title(
    @Root() section: ExhibitionSection,
    @Arg("locale", () => String, { nullable: true, description: LOCALE_DESCRIPTION }) locale: string | null,
    @Ctx() context: ExhibitionsContext,
  ) {
    return (await context.exhibitions.text(section.titleText, section.exhibitionId, locale)) ?? "";
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The introduction in the requested language, else the default language; null when there is none.",
  })
  description(
    @Root() section: ExhibitionSection,
    @Arg("locale", () => String, { nullable: true, description: LOCALE_DESCRIPTION }) locale: string | null,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.exhibitions.text(section.descriptionText, section.exhibitionId, locale);
  }

  @FieldResolver(() => [ExhibitionTranslation], { description: "The title in every language given." })
  titleTranslations(@Root() section: ExhibitionSection) {
    return translationsOf(section.titleText, "");
  }

  @FieldResolver(() => [ExhibitionTranslation], { description: "The introduction in every language given." })
  descriptionTranslations(@Root() section: ExhibitionSection) {
    return translationsOf(section.descriptionText, "");
  }

  @FieldResolver(() => ExhibitedWorkConnection, { description: "The section's works on show, in the exhibition's order." })
  works(@Root() section: ExhibitionSection, @Args() page: PageArguments, @Ctx() context: ExhibitionsContext) {
    return context.sections.works(section, { first: page.first ?? null, after: page.after ?? null });
  }
}
