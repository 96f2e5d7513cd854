// Free text from callers: trimmed, length-checked, control characters refused.
import { badInput } from "./errors";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Trims and checks a required text argument. */
export function requiredText(value: string, argument: string, max = 200): string {
  const text = optionalText(value, argument, max);
  if (!text) throw badInput(`${argument} must not be empty.`, { argument });
  return text;
}

/** Trims and checks an optional text argument; empty becomes null. */
export function optionalText(value: string | null | undefined, argument: string, max = 2000): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  if (text.length > max) throw badInput(`${argument} must be at most ${max} characters long.`, { argument, max });
  if (CONTROL.test(text)) throw badInput(`${argument} must not contain control characters.`, { argument });
  return text === "" ? null : text;
}

/**
 * Characters no free text may hold: controls (Cc), invisible format characters (Cf: bidirectional overrides and
 * isolates U+202A–202E and U+2066–2069, zero-width U+200B–200D, word joiner U+2060, byte-order mark U+FEFF, …),
 * unpaired surrogates, and the Unicode line and paragraph separators. A name with a right-to-left override reads
 * differently from what it holds in every list and export organisers use; zero-width characters make two names
 * that look the same differ. Line feed, carriage return and tab are allowed only in multi-line fields.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const LINE_BREAKS_AND_TABS = new Set(["\n", "\r", "\t"]);

/** Input fields and arguments, by name, whose text may span several lines (descriptions, reasons, translated texts). */
export const MULTILINE_TEXT_NAMES: ReadonlySet<string> = new Set(["description", "reason", "text"]);

/** The first character of `text` that free text may not hold, as "U+202E at position 3" (1-based), or null. */
export function forbiddenCharacterIn(text: string, multiline: boolean): string | null {
  if (!INVISIBLE.test(text)) return null;
  let position = 0;
  for (const character of text) {
    position += 1;
    if (INVISIBLE.test(character) && !(multiline && LINE_BREAKS_AND_TABS.has(character))) {
      return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} at position ${position}`;
    }
  }
  return null;
}
