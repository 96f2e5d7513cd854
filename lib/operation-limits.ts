// The limits every GraphQL operation must stay within at the gateway, their defaults, and how a setting such as
// OPERATION_LIMITS="depth=15,cost=8000" is read (lib/config calls parseOperationLimits with the variable's value).

export interface OperationLimits {
  /** Nesting of fields, fragments expanded (`{ a { b } }` is 2). Introspection fields are not counted. */
  depth: number;
  /** Aliased fields in the whole document. */
  aliases: number;
  /** Fields at the top of the operation, fragments expanded, aliases and repeats counted. */
  rootFields: number;
  /** Lexer tokens of the document, counted before it is parsed. */
  tokens: number;
  /** Directive uses in the whole document. */
  directives: number;
  /** Top-level keys of the request's `variables`. */
  variables: number;
  /**
   * Estimated objects the answer can hold: each object-typed field counts once per parent, a list counts its
   * page size (`first`, default 20) or, without pagination, ASSUMED_LIST_SIZE items.
   */
  cost: number;
}

export type OperationLimitName = keyof OperationLimits;
export const OPERATION_LIMIT_NAMES: readonly OperationLimitName[] = ["depth", "aliases", "rootFields", "tokens", "directives", "variables", "cost"];

/** How many items a list without a page size (`rounds`, `photos`, `awards` …) is assumed to hold. */
export const ASSUMED_LIST_SIZE = 10;

/**
 * Partners and the public. The deepest query a partner site needs (exhibition → works → entry → venue → division)
 * is 8 levels; one page of 100 entries with photos, venue, entrant and awards costs about 2,400.
 */
export const DEFAULT_OPERATION_LIMITS: Readonly<OperationLimits> = {
  depth: 12,
  aliases: 30,
  rootFields: 10,
  tokens: 4000,
  directives: 20,
  variables: 100,
  cost: 5000,
};

/** Organisers' admin tools: wider reports (e.g. every venue with its entries) in one request. */
export const DEFAULT_ORGANIZER_OPERATION_LIMITS: Readonly<OperationLimits> = {
  depth: 20,
  aliases: 100,
  rootFields: 30,
  tokens: 12000,
  directives: 50,
  variables: 200,
  cost: 50000,
};

/** Reads "name=value,name=value" over `base`; throws an Error whose message says what is wrong. */
export function parseOperationLimits(raw: string | undefined, base: Readonly<OperationLimits>): OperationLimits {
  const limits = { ...base };
  if (raw === undefined || raw.trim() === "") return limits;
  for (const part of raw.split(",")) {
    const match = /^\s*([A-Za-z]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (!match) throw new Error(`must be a list like "depth=12,cost=5000", got "${part.trim()}"`);
    const name = match[1] as OperationLimitName;
    if (!OPERATION_LIMIT_NAMES.includes(name)) throw new Error(`has an unknown limit "${match[1]}" (known: ${OPERATION_LIMIT_NAMES.join(", ")})`);
    const value = Number(match[2]);
    if (value < 1 || value > 10_000_000) throw new Error(`must set ${name} between 1 and 10000000, got ${value}`);
    limits[name] = value;
  }
  return limits;
}
