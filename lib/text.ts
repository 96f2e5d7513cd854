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
