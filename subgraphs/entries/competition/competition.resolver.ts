import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { checkLocale, pickText } from "../../../lib/i18n";
import type { EntriesContext } from "../context";
import { Competition, Theme } from "./competition.entity";

@Resolver(() => Competition)
export class CompetitionResolver {
  @Query(() => Competition, { description: "The competition, its themes and its submission window. Public." })
  competition(@Ctx() context: EntriesContext) {
    return context.competitions.current();
  }

  @FieldResolver(() => [Theme], { description: "The themes, in the order of the call for entries." })
  themes(@Root() competition: Competition, @Ctx() context: EntriesContext) {
    return context.competitions.themes(competition);
  }

  @FieldResolver(() => Boolean, { description: "True while entries can be created and submitted." })
  submissionOpen(@Root() competition: Competition) {
    const now = new Date();
    return now >= competition.submissionOpensAt && now <= competition.submissionClosesAt;
  }
}

@Resolver(() => Theme)
export class ThemeResolver {
  @FieldResolver(() => String, { description: "The theme's name in the requested language (locale argument, else Accept-Language, else English)." })
  name(
    @Root() theme: Theme,
    @Arg("locale", () => String, { nullable: true, description: 'A language tag such as "zh", "en" or "pt"; unknown languages fall back to English.' })
    locale: string | null,
    @Ctx() context: EntriesContext,
  ) {
    return pickText(theme.nameText, [checkLocale(locale), ...context.locales]) ?? theme.code;
  }

  @FieldResolver(() => String, { nullable: true, description: "What the theme covers, in the requested language." })
  description(
    @Root() theme: Theme,
    @Arg("locale", () => String, { nullable: true, description: 'A language tag such as "zh", "en" or "pt"; unknown languages fall back to English.' })
    locale: string | null,
    @Ctx() context: EntriesContext,
  ) {
    return pickText(theme.descriptionText, [checkLocale(locale), ...context.locales]);
  }
}
