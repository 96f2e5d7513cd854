// Text for people in several languages: stored as { "zh": …, "en": …, "pt": … } and picked by the caller's locale.
import { badInput } from "./errors";

export type LocalizedText = Record<string, string>;

export const SUPPORTED_LOCALES = ["zh", "en", "pt", "es", "de", "fr", "ro", "ja", "th", "km", "ms", "ar"] as const;

/** The language part of a tag: "pt-PT" → "pt". */
function language(tag: string): string {
  return tag.toLowerCase().split("-")[0];
}

/**
 * Picks the best text: the explicit locale, then the caller's Accept-Language list,
 * then the fallback language, then any text there is.
 */
export function pickText(text: LocalizedText | null | undefined, preferred: (string | null | undefined)[], fallback = "en"): string | null {
  if (!text) return null;
  for (const tag of [...preferred, fallback]) {
    if (!tag) continue;
    const exact = text[tag] ?? text[language(tag)];
    if (exact) return exact;
  }
  const any = Object.values(text).find(Boolean);
  return any ?? null;
}

/** Validates a locale argument ("zh", "en", "pt-PT", …). */
export function checkLocale(locale: string | null | undefined): string | undefined {
  if (locale === null || locale === undefined) return undefined;
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) {
    throw badInput(`locale must be a language tag such as "zh", "en" or "pt-PT", got "${locale}".`, { argument: "locale" });
  }
  return locale;
}
