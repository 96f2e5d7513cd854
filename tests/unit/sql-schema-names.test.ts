// SQL text never spells a subgraph's schema: a statement names its tables as `${SCHEMA}.table`, SCHEMA declared once in
// its file, so the schema a module writes to is stated in one place and a statement cannot name another subgraph's
// tables by accident. This scans every statement-like string in subgraphs/ and lib/ (as sql-text.test.ts does); a new
// one that spells `entries.entry`, `judging.award`... fails here. Migrations (migrations/) and tests are not scanned.
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";
import { findInProjectSources, stringLiterals } from "../kit/source-strings";

/** The schemas: one per subgraph, named as its folder under subgraphs/ (venues, entries, judging, exhibitions). */
const SCHEMAS = fs
  .readdirSync(path.join(PROJECT_ROOT, "subgraphs"), { withFileTypes: true })
  .filter((item) => item.isDirectory())
  .map((item) => item.name);
/**
 * Spelled names allowed, as "file: schema.table". lib/metrics.ts's webhook backlog gauge reads venues' deliveries from
 * lib/, which imports no subgraph code and has no schema of its own to name: the one table it reads is spelled there.
 */
const ALLOWED = new Set(["lib/metrics.ts: venues.webhook_delivery"]);
const SQL_WORDS = /\b(SELECT|UPDATE|INSERT|DELETE|FROM|JOIN|WHERE|VALUES|RETURNING)\b/;
/** What a template interpolates (`${SCHEMA}`, `${alias}.status`) is code, not SQL text. */
const INTERPOLATION = /\$\{[^}]*\}/g;
const QUALIFIED = new RegExp(`(?<![\\w$.])"?(${SCHEMAS.join("|")})"?\\."?([a-z_][a-z0-9_]*)`, "g");
/** A string that is nothing but a table's name (`const TABLE = "entries.media_upload"`) is spliced into statements. */
const TABLE_NAME = new RegExp(`^[\`"](${SCHEMAS.join("|")})\\.[a-z_][a-z0-9_]*[\`"]$`);

/** The schema-qualified names spelled inside statement-like strings (and table-name strings) of one source text. */
function spelledNames(source: string): string[] {
  const found: string[] = [];
  for (const text of stringLiterals(source)) {
    if (!SQL_WORDS.test(text) && !TABLE_NAME.test(text)) continue;
    for (const [, schema, table] of text.replace(INTERPOLATION, "").matchAll(QUALIFIED)) found.push(`${schema}.${table}`);
  }
  return found;
}

describe("SQL schema names", () => {
  it("finds a spelled schema in the shapes statements take (the check itself)", () => {
    expect(SCHEMAS).toEqual(expect.arrayContaining(["venues", "entries", "judging", "exhibitions"]));
    expect(spelledNames("db.query(`SELECT status FROM entries.entry WHERE id = $1`, [id])")).toEqual(["entries.entry"]);
    expect(spelledNames(`const sql = "UPDATE judging.award SET published_at = now()";`)).toEqual(["judging.award"]);
    expect(spelledNames('db.query(`SELECT 1 FROM t\n JOIN "venues"."webhook" w ON w.id = t.id`)')).toEqual(["venues.webhook"]);
    expect(spelledNames("db.query(`SELECT status FROM ${SCHEMA}.entry WHERE id = $1`, [id])")).toEqual([]);
    expect(spelledNames("db.query(`SELECT ${entries.length} FROM ${SCHEMA}.entry e WHERE e.id = $1`, [id])")).toEqual([]);
    expect(spelledNames(`const TABLE = "entries.media_upload";`)).toEqual(["entries.media_upload"]);
    expect(spelledNames("const TABLE = `${SCHEMA}.media_upload`;")).toEqual([]);
    expect(spelledNames(`const lock = "entries.media-sweeper"; // not a statement`)).toEqual([]);
    expect(spelledNames(`const route = "/exports/entries.csv";`)).toEqual([]);
  });

  it("spells no schema in any statement under subgraphs/ and lib/", () => {
    const offenders = findInProjectSources(spelledNames).filter((offender) => !ALLOWED.has(offender));
    expect(offenders).toEqual([]);
  });
});
