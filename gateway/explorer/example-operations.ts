// The guides' operations (docs/operations/<role>/*.graphql), offered in the explorer as examples per role.
// One source for the guides, the explorer, the typed client and the docs test, so none of them can drift.
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";

export const OPERATIONS_DIR = path.join(PROJECT_ROOT, "docs", "operations");

/** In the order the explorer lists them; each is a folder under docs/operations. */
export const EXAMPLE_ROLES = [
  { folder: "public", label: "Anyone (no token)" },
  { folder: "partner", label: "Partner developer (PARTNER token)" },
  { folder: "venue", label: "Branch venue (VENUE token)" },
  { folder: "judge", label: "Judge (JUDGE token)" },
  { folder: "organiser", label: "Organiser (ORGANIZER token)" },
] as const;

export interface ExampleOperation {
  /** docs/operations/<role>/<name>.graphql relative to docs/operations, e.g. "venue/create-entry". */
  id: string;
  role: string;
  roleLabel: string;
  /** The file's first comment line. */
  title: string;
  query: string;
  /** Pretty-printed JSON from <name>.variables.json, or "" when the operation takes none. */
  variables: string;
}

/** Reads every example operation; files are sorted by name, so a numeric prefix sets the order. */
export function loadExampleOperations(): ExampleOperation[] {
  const operations: ExampleOperation[] = [];
  for (const role of EXAMPLE_ROLES) {
    const folder = path.join(OPERATIONS_DIR, role.folder);
    if (!fs.existsSync(folder)) continue;
    for (const file of fs
      .readdirSync(folder)
      .filter((name) => name.endsWith(".graphql"))
      .sort()) {
      const query = fs.readFileSync(path.join(folder, file), "utf8");
      const variablesFile = path.join(folder, file.replace(/\.graphql$/, ".variables.json"));
      const title = /^#\s*(.+)$/m.exec(query)?.[1]?.trim() ?? file;
      operations.push({
        id: `${role.folder}/${file.replace(/\.graphql$/, "")}`,
        role: role.folder,
        roleLabel: role.label,
        title,
        query,
        variables: fs.existsSync(variablesFile) ? fs.readFileSync(variablesFile, "utf8").trim() : "",
      });
    }
  }
  return operations;
}
