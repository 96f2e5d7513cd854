// The string literals of the project's own code (subgraphs/ and lib/, generated code left out), for tests that check
// what statements spell (tests/unit/sql-text.test.ts, tests/unit/sql-schema-names.test.ts).
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";

const STRINGS = /`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/gs;

/** Every template or double-quoted string literal in a source text, quotes included. */
export function stringLiterals(source: string): string[] {
  return [...source.matchAll(STRINGS)].map(([text]) => text);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) return item.name === "generated" || item.name === "node_modules" ? [] : sourceFiles(full);
    return item.name.endsWith(".ts") ? [full] : [];
  });
}

/** What `find` reports in each .ts file under subgraphs/ and lib/, as "path/from/root: finding". */
export function findInProjectSources(find: (source: string) => string[]): string[] {
  return ["subgraphs", "lib"]
    .flatMap((dir) => sourceFiles(path.join(PROJECT_ROOT, dir)))
    .flatMap((file) => find(fs.readFileSync(file, "utf8")).map((finding) => `${path.relative(PROJECT_ROOT, file)}: ${finding}`));
}
