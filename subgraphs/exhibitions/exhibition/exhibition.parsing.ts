// Parsing and checking an exhibition's fields from its inputs (slug, title, dates, host venues): pure functions
// that return the value to store or throw BAD_USER_INPUT naming the argument.
import { badInput } from "../../../lib/errors";
import type { LocalizedText } from "../../../lib/i18n";
import { ExhibitionKind } from "./exhibition.entity";
import type { CreateExhibitionInput } from "./exhibition.inputs";
import { parseTranslations } from "./exhibition.translations";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_HOST_VENUES = 60;
export const TITLE_MAX = 200;
export const LONG_TEXT_MAX = 5000;

/** A slug in lower case: 3 to 100 letters, digits and single dashes. */
export function parseSlug(value: string): string {
  const slug = String(value).trim().toLowerCase();
  if (slug.length < 3 || slug.length > 100 || !SLUG.test(slug)) {
    throw badInput('slug must be 3 to 100 lower-case letters, digits and single dashes, e.g. "harmonious-co-existence".', { argument: "slug" });
  }
  return slug;
}

/** The title's translations; the default language must be among them. */
export function parseTitle(input: CreateExhibitionInput["title"], defaultLocale: string): LocalizedText {
  const title = parseTranslations(input, "title", TITLE_MAX);
  checkTitleHasDefault(title, defaultLocale);
  return title;
}

export function checkTitleHasDefault(title: LocalizedText, defaultLocale: string): void {
  if (!title[defaultLocale]) throw badInput(`title must be given in the default language (${defaultLocale}).`, { argument: "title" });
}

/** Both dates valid, and the exhibition closes after it opens. */
export function checkDates(opensAt: Date | null, closesAt: Date | null): void {
  for (const [name, value] of [
    ["opensAt", opensAt],
    ["closesAt", closesAt],
  ] as const) {
    if (value && Number.isNaN(value.getTime())) throw badInput(`${name} is not a valid date.`, { argument: name });
  }
  if (opensAt && closesAt && opensAt >= closesAt) throw badInput("closesAt must be after opensAt.", { argument: "closesAt" });
}

/** Host venues named once each, at most MAX_HOST_VENUES, and at least one for an ONSITE exhibition. */
export function checkHostVenueIds(venueIds: readonly string[], kind: ExhibitionKind): void {
  if (new Set(venueIds).size !== venueIds.length) throw badInput("hostVenueIds names a venue twice.", { argument: "hostVenueIds" });
  if (venueIds.length > MAX_HOST_VENUES) throw badInput(`At most ${MAX_HOST_VENUES} host venues.`, { argument: "hostVenueIds" });
  if (kind === ExhibitionKind.ONSITE && venueIds.length === 0)
    throw badInput("An ONSITE exhibition needs at least one host venue.", { argument: "hostVenueIds" });
}

/** Equal texts in every language (jsonb does not keep the order keys were given in). */
export function sameText(a: LocalizedText, b: LocalizedText): boolean {
  const keys = Object.keys(a).sort();
  return keys.join() === Object.keys(b).sort().join() && keys.every((key) => a[key] === b[key]);
}
