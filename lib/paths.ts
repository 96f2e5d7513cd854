// Where the project's own files are, whether running compiled (dist/) or from source (tests).
import fs from "node:fs";
import path from "node:path";

function findProjectRoot(start: string): string {
  let directory = start;
  while (!fs.existsSync(path.join(directory, "package.json"))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`No package.json above ${start}`);
    directory = parent;
  }
  return directory;
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
export const SCHEMA_DIR = path.join(PROJECT_ROOT, "schema");
export const SUPERGRAPH_PATH = path.join(SCHEMA_DIR, "supergraph.graphql");
