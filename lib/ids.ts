// Ids are UUIDs; a malformed one is the caller's mistake (BAD_USER_INPUT), never a database error.
import { badInput } from "./errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** Returns the id in lower case, or throws BAD_USER_INPUT naming the argument. */
export function parseId(value: string, argument: string): string {
  if (!isUuid(value)) throw badInput(`${argument} must be an id returned by this API (a UUID), got "${String(value).slice(0, 64)}".`, { argument });
  return value.toLowerCase();
}

/** Keeps only well-formed ids (for lookups where an unknown id simply finds nothing). */
export function wellFormedIds(values: readonly string[]): string[] {
  return values.filter(isUuid).map((value) => value.toLowerCase());
}
