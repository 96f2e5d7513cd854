// The import rule of eslint.config.mjs (house style, habit 12): each snippet is linted as if it were a file at the given
// path, through ESLint's Node API with the project's own configuration, and must be refused or accepted.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../../lib/paths";

interface Snippet {
  /** Where the snippet pretends to live, relative to the project root. */
  file: string;
  code: string;
}

interface Problem {
  ruleId: string | null;
  message: string;
}

// ESLint loads eslint.config.mjs with import(), which jest cannot run in its sandbox without experimental flags; a
// child node process runs the Node API as `npm run lint` does.
const LINT_SCRIPT = `
const { ESLint } = require("eslint");
const snippets = JSON.parse(process.argv[1]);
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const problems = [];
  for (const { file, code } of snippets) {
    const [result] = await eslint.lintText(code, { filePath: require("node:path").join(process.cwd(), file) });
    problems.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
  }
  process.stdout.write(JSON.stringify(problems));
})().catch((error) => { process.stderr.write(String(error.stack)); process.exit(1); });
`;

async function lint(snippets: Snippet[]): Promise<Problem[][]> {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", LINT_SCRIPT, JSON.stringify(snippets)], { cwd: PROJECT_ROOT, timeout: 60_000 });
  return JSON.parse(stdout) as Problem[][];
}

const importOf = (from: string) => `import { thing } from "${from}";\nexport { thing };\n`;

const cases = {
  subgraphIntoOther: { file: "subgraphs/entries/entry/entry.example.ts", code: importOf("../../judging/round/round.entity") },
  subgraphTypeIntoOther: {
    file: "subgraphs/exhibitions/exhibition.example.ts",
    code: `import type { Venue } from "../venues/venue/venue.entity";\nexport type { Venue };\n`,
  },
  subgraphIntoRegistry: { file: "subgraphs/judging/judging.example.ts", code: importOf("..") },
  subgraphIntoOwnAndLib: {
    file: "subgraphs/exhibitions/entry/entry.example.ts",
    // lib/clients/entries is lib (the typed client of the entries subgraph), not the entries subgraph's folder.
    code: `import { thing } from "../exhibitions.visibility";\nimport { other } from "../../../lib/errors";\nimport { client } from "../../../lib/clients/entries";\nimport { graphql } from "graphql";\nexport { thing, other, client, graphql };\n`,
  },
  libIntoSubgraph: { file: "lib/example.ts", code: importOf("../subgraphs/entries/entry/entry.entity") },
  libIntoGateway: { file: "lib/example.ts", code: importOf("../gateway/context") },
  gatewayIntoSubgraph: { file: "gateway/limits/example.ts", code: importOf("../../subgraphs/venues/venue/venue.entity") },
  scriptIntoSubgraph: { file: "scripts/example.ts", code: importOf("../subgraphs/entries/entry/entry.entity") },
};

let problems: Record<keyof typeof cases, Problem[]>;

beforeAll(async () => {
  const names = Object.keys(cases) as (keyof typeof cases)[];
  const results = await lint(names.map((name) => cases[name]));
  problems = Object.fromEntries(names.map((name, index) => [name, results[index]])) as typeof problems;
});

const restricted = (found: Problem[]) => found.filter((problem) => problem.ruleId === "no-restricted-imports").map((problem) => problem.message);

it("refuses a subgraph importing another subgraph's code", () => {
  expect(restricted(problems.subgraphIntoOther)).toEqual([expect.stringContaining("subgraphs/entries may import lib/ and its own folder only")]);
});

it("refuses a subgraph importing another subgraph's types", () => {
  expect(restricted(problems.subgraphTypeIntoOther)).toEqual([expect.stringContaining("subgraphs/exhibitions may import lib/ and its own folder only")]);
});

it("refuses a subgraph importing the registry of every subgraph", () => {
  expect(restricted(problems.subgraphIntoRegistry)).toEqual([expect.stringContaining("parent folder's index")]);
});

it("lets a subgraph import its own folder, lib/ and npm packages", () => {
  expect(problems.subgraphIntoOwnAndLib).toEqual([]);
});

it("refuses lib/ importing a subgraph or the gateway", () => {
  expect(restricted(problems.libIntoSubgraph)).toEqual([expect.stringContaining("lib/ is shared by every service")]);
  expect(restricted(problems.libIntoGateway)).toEqual([expect.stringContaining("lib/ is shared by every service")]);
});

it("refuses the gateway importing a subgraph", () => {
  expect(restricted(problems.gatewayIntoSubgraph)).toEqual([expect.stringContaining("The gateway knows subgraphs through the supergraph")]);
});

it("lets scripts import a subgraph", () => {
  expect(problems.scriptIntoSubgraph).toEqual([]);
});
