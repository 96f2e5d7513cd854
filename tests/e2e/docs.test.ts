// The guides cannot drift: every operation under docs/operations runs against the demo data with its role's token,
// every guide shows its operations verbatim, and every shell snippet in the guides runs as printed.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { EXAMPLE_ROLES, loadExampleOperations, ExampleOperation } from "../../gateway/explorer/example-operations";
import { loadConfig } from "../../lib/config";
import { PROJECT_ROOT } from "../../lib/paths";
import { loadDemoDataIfEmpty } from "../../scripts/demo-data";
import { makeJpeg } from "../../subgraphs/entries/media/fixtures";
import { graphql, GraphqlResponse } from "../kit/http";
import { multipartGraphql } from "../kit/multipart";
import { startSystem, TestSystem } from "../kit/system";

const DOCS_DIR = path.join(PROJECT_ROOT, "docs");
/** The guide of each role's operations, and the demo client whose token runs them. */
const ROLES: Record<string, { guide: string; clientId?: string }> = {
  public: { guide: "partner-developer.md" },
  partner: { guide: "partner-developer.md", clientId: "demo-partner" },
  venue: { guide: "branch-venue.md", clientId: "demo-venue" },
  judge: { guide: "judge.md", clientId: "demo-judge" },
  organiser: { guide: "organiser.md", clientId: "demo-organizer" },
};

/** Values later operations need, read from earlier results: the guides tell readers to do the same by hand. */
const KEEPS: Record<string, (data: any) => Record<string, string | undefined>> = {
  "venue/02-create-entry": (data) => ({ entryId: data.createEntry.id }),
  "judge/01-my-assignments": (data) => {
    const open = data.myAssignments.edges.map((edge: any) => edge.node).find((node: any) => node.round.status === "OPEN" && node.status !== "RECUSED");
    return { roundId: open?.round.id, entryId: open?.entry.id };
  },
  "organiser/02-rounds": (data) => ({ roundId: data.rounds[0]?.id }),
};

/** Replaces "<name>" placeholders in an operation's variables with kept values (or a fresh UUID where one is asked for). */
function fillPlaceholders(value: unknown, kept: Record<string, string | undefined>, operationId: string): unknown {
  if (typeof value === "string") {
    const placeholder = /^<(.+)>$/.exec(value)?.[1];
    if (!placeholder) return value;
    if (/uuid/i.test(placeholder)) return randomUUID();
    const filled = kept[placeholder];
    if (!filled) throw new Error(`no value for <${placeholder}>; does the demo data have what the earlier operation of ${operationId.split("/")[0]} reads?`);
    return filled;
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, kept, operationId));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillPlaceholders(item, kept, operationId)]));
  }
  return value;
}

describe("the guides in docs/", () => {
  let system: TestSystem;
  let workDir: string;
  const tokens: Record<string, string | undefined> = {};
  const operations = loadExampleOperations();

  beforeAll(async () => {
    system = await startSystem();
    await loadDemoDataIfEmpty(system.dataSources);
    for (const [role, { clientId }] of Object.entries(ROLES)) {
      if (!clientId) continue;
      const issued = await graphql(
        system.gatewayUrl,
        `
          mutation ($id: String!, $secret: String!) {
            issueToken(clientId: $id, clientSecret: $secret) {
              accessToken
            }
          }
        `,
        {
          variables: { id: clientId, secret: `${clientId}-secret` },
        },
      );
      expect(issued.errors).toBeUndefined();
      tokens[role] = issued.data!.issueToken.accessToken;
    }
    // The upload operations send these two photos.
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-docs-"));
    fs.copyFileSync(await makeJpeg({ width: 2400, height: 1600, hue: 20 }), path.join(workDir, "photo-1.jpg"));
    fs.copyFileSync(await makeJpeg({ width: 2400, height: 1600, hue: 200 }), path.join(workDir, "photo-2.jpg"));
  }, 180_000);
  afterAll(async () => {
    await system?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("has an operation folder and a guide for every role", () => {
    expect(EXAMPLE_ROLES.map((role) => role.folder).sort()).toEqual(Object.keys(ROLES).sort());
    for (const role of Object.keys(ROLES)) expect(operations.some((operation) => operation.role === role)).toBe(true);
    for (const { guide } of Object.values(ROLES)) expect(fs.existsSync(path.join(DOCS_DIR, guide))).toBe(true);
  });

  it("shows every operation and its variables verbatim in its role's guide", () => {
    const missing: string[] = [];
    for (const operation of operations) {
      const guide = fs.readFileSync(path.join(DOCS_DIR, ROLES[operation.role].guide), "utf8");
      if (!guide.includes("```graphql\n" + operation.query.trim() + "\n```")) missing.push(`${operation.id}.graphql`);
      if (operation.variables && !guide.includes("```json\n" + operation.variables + "\n```")) missing.push(`${operation.id}.variables.json`);
    }
    expect(missing).toEqual([]);
  });

  it("runs every operation, in order, with its role's token and no errors", async () => {
    const kept: Record<string, Record<string, string | undefined>> = {};
    const failures: string[] = [];
    for (const operation of operations) {
      kept[operation.role] ??= {};
      let response: GraphqlResponse;
      try {
        response = await run(operation, kept[operation.role]);
      } catch (error) {
        failures.push(`${operation.id}: ${(error as Error).message}`);
        continue;
      }
      if (response.errors || !response.data) {
        failures.push(`${operation.id}: ${JSON.stringify(response.errors ?? response.status)}`);
        continue;
      }
      // A null root field (say, an exhibition slug the demo data lacks) would leave the reader with nothing to see.
      const empty = Object.entries(response.data)
        .filter(([, value]) => value === null)
        .map(([field]) => field);
      if (empty.length) failures.push(`${operation.id}: ${empty.join(", ")} is null with the demo data`);
      Object.assign(kept[operation.role], KEEPS[operation.id]?.(response.data) ?? {});
    }
    expect(failures).toEqual([]);
  }, 120_000);

  async function run(operation: ExampleOperation, kept: Record<string, string | undefined>): Promise<GraphqlResponse> {
    const variables = fillPlaceholders(operation.variables ? JSON.parse(operation.variables) : {}, kept, operation.id) as Record<string, any>;
    const token = tokens[operation.role];
    // Uploads (a `files` list of nulls) go as a multipart request with the two sample photos.
    if (Array.isArray(variables.files)) {
      const files = Object.fromEntries(
        variables.files.map((_: unknown, index: number) => [`variables.files.${index}`, { path: path.join(workDir, `photo-${index + 1}.jpg`) }]),
      );
      return multipartGraphql(system.gatewayUrl, operation.query, variables, files, { token });
    }
    return graphql(system.gatewayUrl, operation.query, { variables, token });
  }

  const guides = [...new Set(Object.values(ROLES).map((role) => role.guide))];
  it.each(guides)(
    "runs the shell snippets of %s as printed",
    async (guide) => {
      const markdown = fs.readFileSync(path.join(DOCS_DIR, guide), "utf8");
      const snippets = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
      expect(snippets.length).toBeGreaterThan(0);
      // The guides address the default local gateway; here it is the test system's.
      const script = ["set -euo pipefail", ...snippets].join("\n").replaceAll("http://localhost:4000", new URL(system.gatewayUrl).origin);
      // Photos of their own: the competition refuses a file already entered by the operations above.
      const cwd = fs.mkdtempSync(path.join(workDir, "shell-"));
      const hue = 40 + 50 * guides.indexOf(guide);
      fs.copyFileSync(await makeJpeg({ width: 2400, height: 1600, hue }), path.join(cwd, "photo-1.jpg"));
      fs.copyFileSync(await makeJpeg({ width: 2400, height: 1600, hue: hue + 25 }), path.join(cwd, "photo-2.jpg"));
      const { stdout } = await promisify(execFile)("bash", ["-c", script], { cwd, timeout: 60_000 });
      // Each snippet prints GraphQL responses; none may carry errors.
      expect(stdout).not.toContain('"errors"');
      expect(stdout).toContain('"data"');
    },
    90_000,
  );
});

describe("the explorer switch (EXPLORER)", () => {
  // What a production start needs anyway, so only EXPLORER varies.
  const production = {
    NODE_ENV: "production",
    JWT_SECRET: "a-production-secret-of-at-least-32-characters",
    SUBGRAPH_SECRET: "a-subgraph-secret-of-at-least-32-characters",
  };
  it("is on by default outside production, off in production unless EXPLORER=on", () => {
    expect(loadConfig({ NODE_ENV: "development" }).explorer).toBe(true);
    expect(loadConfig({ NODE_ENV: "development", EXPLORER: "off" }).explorer).toBe(false);
    expect(loadConfig(production).explorer).toBe(false);
    expect(loadConfig({ ...production, EXPLORER: "on" }).explorer).toBe(true);
    expect(() => loadConfig({ EXPLORER: "maybe" })).toThrow(/EXPLORER/);
  });
});
