import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { PageArguments } from "../../../lib/pagination";
import type { ExhibitionsContext } from "../context";
import { ExhibitedWorkConnection } from "../exhibited-work/exhibited-work.types";
import { ExhibitionSection } from "../exhibition-section/exhibition-section.entity";
import { OrganizationReference } from "../organization/organization.type";
import { VenueReference } from "../venue/venue.type";
import { ExhibitionTranslation, translationsOf } from "./exhibition.translations";
import { Exhibition } from "./exhibition.entity";
import { CreateExhibitionInput, ExhibitionFilter, UpdateExhibitionInput } from "./exhibition.inputs";
import { ExhibitionConnection } from "./exhibition.types";
import { PUBLIC_CACHE } from "../../../lib/cache-hints";

const LOCALE_DESCRIPTION =
  'Language to return, e.g. "zh", "en", "pt" or "pt-PT"; default: the Accept-Language header, then the exhibition\'s default language.';

@Resolver(() => Exhibition)
export class ExhibitionResolver {
  @Directive(PUBLIC_CACHE)
  @Query(() => ExhibitionConnection, {
    description:
      "Exhibitions the caller may see, newest first: the public, venues and judges published ones; partners also their organisation's drafts and archived ones; organisers all. Errors: BAD_USER_INPUT for a bad filter or page.",
  })
  exhibitions(
    @Arg("filter", () => ExhibitionFilter, {
      nullable: true,
      description: "Optional conditions (status, kind, host venue); omit to list every exhibition you may see.",
    })
    filter: ExhibitionFilter | null,
    @Args() page: PageArguments,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.exhibitions.list(filter, page);
  }

  @Query(() => Exhibition, {
    nullable: true,
    description: "One exhibition by id or by slug (pass exactly one); null when there is none or the caller may not see it. Errors: BAD_USER_INPUT.",
  })
  exhibition(
    @Arg("id", () => ID, { nullable: true, description: "The exhibition's id." }) id: string | null,
    @Arg("slug", () => String, { nullable: true, description: 'The exhibition\'s slug, e.g. "harmonious-co-existence" (case-insensitive).' })
    slug: string | null,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.exhibitions.get(id, slug);
  }

  @Mutation(() => Exhibition, {
    description:
      "Creates a DRAFT exhibition. Organisers; partners for their own organisation at their own venues. Errors: BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND (host venue), CONFLICT (slug taken), SERVICE_UNAVAILABLE.",
  })
  createExhibition(
    @Arg("input", { description: "The new exhibition's slug, kind, texts and host venues." }) input: CreateExhibitionInput,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.exhibitions.create(input);
  }

  @Mutation(() => Exhibition, {
    description:
      "Changes an exhibition (organisers; the owning partner). Errors: BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT (slug taken), SERVICE_UNAVAILABLE.",
  })
  updateExhibition(
    @Arg("input", { description: "The exhibition's id and the fields to change." }) input: UpdateExhibitionInput,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.exhibitions.update(input);
  }

  @Mutation(() => Exhibition, {
    description:
      "Publishes a DRAFT or ARCHIVED exhibition (again on a PUBLISHED one, re-sends which entries are public). Its works' entries are made public first; " +
      "if that fails the exhibition stays as it was. Errors: CONFLICT (no works, or works no longer showable, listed in extensions.refused), " +
      "SERVICE_UNAVAILABLE (entries service), FORBIDDEN, NOT_FOUND, UNAUTHENTICATED.",
  })
  publishExhibition(@Arg("id", () => ID, { description: "The exhibition to publish." }) id: string, @Ctx() context: ExhibitionsContext) {
    return context.exhibitions.publish(id);
  }

  @Mutation(() => Exhibition, {
    description:
      "Archives an exhibition: hidden from the public at once, its entries no longer public through it. Repeatable. " +
      "Errors: SERVICE_UNAVAILABLE (archived, but the entries service was not told: call again), FORBIDDEN, NOT_FOUND, UNAUTHENTICATED.",
  })
  archiveExhibition(@Arg("id", () => ID, { description: "The exhibition to archive." }) id: string, @Ctx() context: ExhibitionsContext) {
    return context.exhibitions.archive(id);
  }

  @FieldResolver(() => String, { description: "The title in the requested language, else the exhibition's default language." })
  async title(
    @Root() exhibition: Exhibition,
    @Arg("locale", () => String, { nullable: true, description: LOCALE_DESCRIPTION }) locale: string | null,
    @Ctx() context: ExhibitionsContext,
  ) {
    return (await context.exhibitions.text(exhibition.titleText, exhibition.id, locale)) ?? exhibition.slug;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The curator's text in the requested language, else the default language; null when there is none.",
  })
  description(
    @Root() exhibition: Exhibition,
    @Arg("locale", () => String, { nullable: true, description: LOCALE_DESCRIPTION }) locale: string | null,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.exhibitions.text(exhibition.descriptionText, exhibition.id, locale);
  }

  @FieldResolver(() => [ExhibitionTranslation], { description: "The title in every language given, default language first." })
  titleTranslations(@Root() exhibition: Exhibition) {
    return translationsOf(exhibition.titleText, exhibition.defaultLocale);
  }

  @FieldResolver(() => [ExhibitionTranslation], { description: "The description in every language given, default language first." })
  descriptionTranslations(@Root() exhibition: Exhibition) {
    return translationsOf(exhibition.descriptionText, exhibition.defaultLocale);
  }

  @FieldResolver(() => [VenueReference], { description: "Venues showing the exhibition, in the curator's order." })
  hostVenues(@Root() exhibition: Exhibition, @Ctx() context: ExhibitionsContext) {
    return context.exhibitions.hostVenues(exhibition);
  }

  @FieldResolver(() => OrganizationReference, {
    nullable: true,
    description: "The partner organisation that owns the exhibition; null for the organisers' own, and for callers who may not edit it.",
  })
  organization(@Root() exhibition: Exhibition, @Ctx() context: ExhibitionsContext) {
    return context.exhibitions.organization(exhibition);
  }

  @FieldResolver(() => [ExhibitionSection], { description: "The sections, in order." })
  sections(@Root() exhibition: Exhibition, @Ctx() context: ExhibitionsContext) {
    return context.sections.sections(exhibition);
  }

  @FieldResolver(() => ExhibitedWorkConnection, { description: "The works on show, in order (removed works never appear)." })
  works(
    @Root() exhibition: Exhibition,
    @Args() page: PageArguments,
    @Arg("sectionId", () => ID, { nullable: true, description: "Only the works of this section. Malformed: BAD_USER_INPUT." }) sectionId: string | null,
    @Ctx() context: ExhibitionsContext,
  ) {
    return context.works.works(exhibition, { first: page.first ?? null, after: page.after ?? null, sectionId: sectionId ?? null });
  }
}
