// SQL text never spells an enum value: every status, tier or resolution a statement compares with is a parameter taken
// from its enum (or typed union), so renaming or adding a value cannot leave a statement silently matching nothing.
// This scans every statement-like string in subgraphs/ and lib/; a new one that spells a value fails here.
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
/** SQL literals that are not enum values. */
const ALLOWED = new Set(["UTC"]);
const SQL_WORDS = /\b(SELECT|UPDATE|INSERT|DELETE|WHERE|CASE|FILTER|VALUES|RETURNING)\b/;
const STRINGS = /`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/gs;
const UPPER_LITERAL = /'([A-Z][A-Z_]{2,})'/g;

/** The enum-like literals spelled inside statement-like strings of one source text. */
function spelledValues(source: string): string[] {
  const found: string[] = [];
  for (const [text] of source.matchAll(STRINGS)) {
    if (!SQL_WORDS.test(text)) continue;
    for (const [, value] of text.matchAll(UPPER_LITERAL)) if (!ALLOWED.has(value)) found.push(value);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) return item.name === "generated" || item.name === "node_modules" ? [] : sourceFiles(full);
    return item.name.endsWith(".ts") ? [full] : [];
  });
}

describe("SQL text", () => {
  it("finds a spelled value in the shapes statements take (the check itself)", () => {
    expect(spelledValues(`const x = "CASE award.tier WHEN 'GOLD' THEN 1 END";`)).toEqual(["GOLD"]);
    expect(spelledValues("db.query(`SELECT 1 FROM t WHERE status <> 'RECUSED'`)")).toEqual(["RECUSED"]);
    expect(spelledValues("db.query(`SELECT 1 FROM t WHERE status <> $1`, [Status.RECUSED])")).toEqual([]);
    expect(spelledValues("const note = 'DRAFT'; // not a statement")).toEqual([]);
  });

  it("spells no enum value in any statement under subgraphs/ and lib/", () => {
    const offenders = [...sourceFiles(path.join(ROOT, "subgraphs")), ...sourceFiles(path.join(ROOT, "lib"))].flatMap((file) =>
      spelledValues(fs.readFileSync(file, "utf8")).map((value) => `${path.relative(ROOT, file)}: '${value}'`),
    );
    expect(offenders).toEqual([]);
  });
});
