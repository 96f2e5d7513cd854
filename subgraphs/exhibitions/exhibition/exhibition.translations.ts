// Multilingual text of exhibitions, sections and captions: parsed from inputs, listed for editors,
// and picked for readers (locale argument, then Accept-Language, then the exhibition's default language).
import { Directive, Field, InputType, ObjectType } from "type-graphql";
import { badInput } from "../../../lib/errors";
import { checkLocale, LocalizedText, pickText, SUPPORTED_LOCALES } from "../../../lib/i18n";
import { optionalText } from "../../../lib/text";
import { PUBLIC_CACHE } from "../../../lib/cache-hints";

const LOCALES = new Set<string>(SUPPORTED_LOCALES);
const LOCALE_LIST = SUPPORTED_LOCALES.join(", ");

@InputType({ description: "A text in one language." })
export class ExhibitionTranslationInput {
  @Field({ description: `Language code, one of ${LOCALE_LIST} (Chinese, English and Portuguese first among them).` })
  locale!: string;

  @Field({ description: "The text in that language; limits depend on the field (titles 200 characters, descriptions and captions 5000)." })
  text!: string;
}

@ObjectType({ description: "A text in one language, as entered by the curator." })
@Directive(PUBLIC_CACHE)
export class ExhibitionTranslation {
  @Field({ description: 'Language code, e.g. "zh", "en", "pt".' })
  locale!: string;

  @Field({ description: "The text in that language." })
  text!: string;
}

/** Validates a language code of SUPPORTED_LOCALES and returns it in lower case. */
export function parseLocale(value: string, argument: string): string {
  const locale = String(value).trim().toLowerCase();
  if (!LOCALES.has(locale)) throw badInput(`${argument} must be one of ${LOCALE_LIST}, got "${String(value).slice(0, 16)}".`, { argument });
  return locale;
}

/** Turns a list of translations into stored text; a language given twice, or an empty text, is BAD_USER_INPUT. */
export function parseTranslations(inputs: readonly ExhibitionTranslationInput[] | null | undefined, argument: string, max: number): LocalizedText {
  const text: LocalizedText = {};
  for (const input of inputs ?? []) {
    const locale = parseLocale(input.locale, `${argument}.locale`);
    if (text[locale] !== undefined) throw badInput(`${argument} gives ${locale} twice.`, { argument });
    const value = optionalText(input.text, `${argument}.text`, max);
    if (!value) throw badInput(`${argument} has an empty ${locale} text; leave the language out instead.`, { argument });
    text[locale] = value;
  }
  return text;
}

/** The stored translations, default language first, then alphabetically. */
export function translationsOf(text: LocalizedText, defaultLocale: string): ExhibitionTranslation[] {
  return Object.entries(text)
    .map(([locale, value]) => ({ locale, text: value }))
    .sort((a, b) => Number(b.locale === defaultLocale) - Number(a.locale === defaultLocale) || a.locale.localeCompare(b.locale));
}

/** Picks the reader's language: the locale argument, then Accept-Language, then the exhibition's default language. */
export function localize(text: LocalizedText, locale: string | null | undefined, acceptedLocales: string[], defaultLocale: string): string | null {
  return pickText(text, [checkLocale(locale), ...acceptedLocales], defaultLocale);
}
