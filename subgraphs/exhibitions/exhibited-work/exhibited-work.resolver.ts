import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { ExhibitionsContext } from "../context";
import { EntryReference } from "../entry/entry.type";
import { ExhibitionTranslation, translationsOf } from "../exhibition/exhibition.translations";
import { Exhibition } from "../exhibition/exhibition.entity";
import { ExhibitionSection } from "../exhibition-section/exhibition-section.entity";
import { ExhibitedWork } from "./exhibited-work.entity";
import { AddExhibitedWorksInput, UpdateExhibitedWorkInput } from "./exhibited-work.inputs";
import { NEVER_CACHE } from "../../../lib/cache-hints";

@Resolver(() => ExhibitedWork)
export class ExhibitedWorkResolver {
  @Query(() => ExhibitedWork, {
    nullable: true,
    description: "One work on show by id; null when there is none, it was removed, or the caller may not see its exhibition. Errors: BAD_USER_INPUT.",
  })
  exhibitedWork(@Arg("id", () => ID, { description: "The work's id (not the entry's)." }) id: string, @Ctx() context: ExhibitionsContext) {
    return context.works.get(id);
  }

  @Mutation(() => [ExhibitedWork], {
    description:
      "Appends 1 to 500 works, all or none (organisers; the owning partner, with its own organisation's entries). Each entry must be SUBMITTED, not disqualified, " +
      "with the entrant's consent to publication, as the entries service says. Errors: BAD_USER_INPUT (refused entries with reasons in extensions.refused), " +
      "CONFLICT (entry already on show), NOT_FOUND, FORBIDDEN, UNAUTHENTICATED, SERVICE_UNAVAILABLE.",
  })
  addExhibitedWorks(
    @Arg("input", { description: "The exhibition and the works to append to it." }) input: AddExhibitedWorksInput,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.works.add(input);
  }

  @Mutation(() => ExhibitedWork, { description: "Changes a work's caption or section. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN, UNAUTHENTICATED." })
  updateExhibitedWork(
    @Arg("input", { description: "The work's id and the fields to change." }) input: UpdateExhibitedWorkInput,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.works.update(input);
  }

  @Mutation(() => ExhibitedWork, {
    description:
      "Moves a work to a position (from 1 to the number of works); the works in between shift by one. Errors: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN, UNAUTHENTICATED.",
  })
  moveExhibitedWork(
    @Arg("id", () => ID, { description: "The work to move." }) id: string,
    @Arg("position", () => Int, { description: "Its new position, from 1." }) position: number,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.works.move(id, position);
  }

  @Mutation(() => Exhibition, {
    description:
      "Puts the works in the given order; workIds must list every work on show exactly once. Errors: CONFLICT (the list does not match: reload), BAD_USER_INPUT, NOT_FOUND, FORBIDDEN, UNAUTHENTICATED.",
  })
  reorderExhibitedWorks(
    @Arg("exhibitionId", () => ID, { description: "The exhibition to reorder." }) exhibitionId: string,
    @Arg("workIds", () => [ID], { description: "Every work on show, in the new order." }) workIds: string[],
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.works.reorder(exhibitionId, workIds);
  }

  @Mutation(() => Exhibition, {
    description:
      "Takes a work off show (kept for the record; the others close up); its entry stops being public shortly after. Repeatable: removing a removed work changes nothing. Errors: NOT_FOUND, FORBIDDEN, UNAUTHENTICATED.",
  })
  removeExhibitedWork(@Arg("id", () => ID, { description: "The work to take off show." }) id: string, @Ctx() context: ExhibitionsContext) {
    return context.works.remove(id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The caption in the requested language, else the exhibition's default language; null when there is none.",
  })
  caption(
    @Root() work: ExhibitedWork,
    @Arg("locale", () => String, {
      nullable: true,
      description: 'Language to return, e.g. "zh", "en", "pt"; default: Accept-Language, then the exhibition\'s default language.',
    })
    locale: string | null,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.exhibitions.text(work.captionText, work.exhibitionId, locale);
  }

  @FieldResolver(() => [ExhibitionTranslation], { description: "The caption in every language given." })
  captionTranslations(@Root() work: ExhibitedWork) {
    return translationsOf(work.captionText, "");
  }

  @FieldResolver(() => EntryReference, { description: "The competition entry shown: its media, theme, credit and venue come from the entries subgraph." })
  entry(@Root() work: ExhibitedWork) {
    return { id: work.entryId };
  }

  @FieldResolver(() => ExhibitionSection, { nullable: true, description: "The section the work is in, if any." })
  section(@Root() work: ExhibitedWork, @Ctx() context: ExhibitionsContext) {
    return context.works.section(work);
  }

  @FieldResolver(() => Exhibition, { description: "The exhibition showing the work." })
  exhibition(@Root() work: ExhibitedWork, @Ctx() context: ExhibitionsContext) {
    return context.works.exhibition(work);
  }

  @Directive(NEVER_CACHE)
  @FieldResolver(() => Boolean, {
    description: "Whether this visitor has liked the work (the visitor id given to likeWork). Errors: none; an unknown id is false.",
  })
  likedBy(
    @Root() work: ExhibitedWork,
    @Arg("visitorId", { description: "The visitor's id, as given to likeWork." }) visitorId: string,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.works.likedBy(work, visitorId);
  }
}
