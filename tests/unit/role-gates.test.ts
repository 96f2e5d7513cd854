// Who may see and do what is decided in one visibility module per subgraph (subgraphs/<name>/<name>.visibility.ts):
// a role comparison anywhere else in a subgraph scatters the rule. This test fails on one, naming file and line.
import fs from "node:fs";
import path from "node:path";

const ROOT = path.join(__dirname, "../../subgraphs");
/** A caller's role compared, a role gate other than the policy's, or a role spelt as a string. */
const SCATTERED = [
  /requireRole\(/,
  /isOrganizer\(/,
  /\.role\s*[!=]==/,
  /role\?\.\s*[!=]==/,
  /\bRole\.(ORGANIZER|PARTNER|VENUE|JUDGE)\b/,
  /[!=]==\s*"(ORGANIZER|PARTNER|VENUE|JUDGE)"/,
  /"(ORGANIZER|PARTNER|VENUE|JUDGE)"\s*[!=]==/,
];
/** Files that handle a role as data (the role an API client is created with), not the caller's role. */
const ROLE_AS_DATA: Record<string, string> = {
  "venues/api-client/api-client.service.ts": "checks the scope of the client being created and the claims of the token it is issued",
  "venues/api-client/api-client.entity.ts": "declares the role column and enum of API clients",
  "venues/api-client/api-client.inputs.ts": "declares the role an organiser gives a new client",
  "venues/api-client/api-client.types.ts": "declares the role a token carries",
};

function files(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? files(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

describe("role gates live in the visibility modules", () => {
  it("no subgraph file outside <name>.visibility.ts compares the caller's role", () => {
    const found: string[] = [];
    for (const file of files(ROOT)) {
      const relative = path.relative(ROOT, file).split(path.sep).join("/");
      if (relative.endsWith(".visibility.ts") || relative in ROLE_AS_DATA) continue;
      fs.readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, index) => {
          if (SCATTERED.some((pattern) => pattern.test(line))) found.push(`${relative}:${index + 1}: ${line.trim()}`);
        });
    }
    // Move each into the subgraph's visibility module: an action in its policy table (assertCan) or a named predicate.
    expect(found).toEqual([]);
  });
});
