// SQL text never spells an enum value: every status, tier or resolution a statement compares with is a parameter taken
// from its enum (or typed union), so renaming or adding a value cannot leave a statement silently matching nothing.
// This scans every statement-like string in subgraphs/ and lib/; a new one that spells a value fails here.
import { findInProjectSources, stringLiterals } from "../kit/source-strings";

/** SQL literals that are not enum values. */
const ALLOWED = new Set(["UTC"]);
const SQL_WORDS = /\b(SELECT|UPDATE|INSERT|DELETE|WHERE|CASE|FILTER|VALUES|RETURNING)\b/;
const UPPER_LITERAL = /'([A-Z][A-Z_]{2,})'/g;

/** The enum-like literals spelled inside statement-like strings of one source text. */
function spelledValues(source: string): string[] {
  const found: string[] = [];
  for (const text of stringLiterals(source)) {
    if (!SQL_WORDS.test(text)) continue;
    for (const [, value] of text.matchAll(UPPER_LITERAL)) if (!ALLOWED.has(value)) found.push(value);
  }
  return found;
}

describe("SQL text", () => {
  it("finds a spelled value in the shapes statements take (the check itself)", () => {
    expect(spelledValues(`const x = "CASE award.tier WHEN 'GOLD' THEN 1 END";`)).toEqual(["GOLD"]);
    expect(spelledValues("db.query(`SELECT 1 FROM t WHERE status <> 'RECUSED'`)")).toEqual(["RECUSED"]);
    expect(spelledValues("db.query(`SELECT 1 FROM t WHERE status <> $1`, [Status.RECUSED])")).toEqual([]);
    expect(spelledValues("const note = 'DRAFT'; // not a statement")).toEqual([]);
  });

  it("spells no enum value in any statement under subgraphs/ and lib/", () => {
    const offenders = findInProjectSources((source) => spelledValues(source).map((value) => `'${value}'`));
    expect(offenders).toEqual([]);
  });
});
