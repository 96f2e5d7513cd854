// The schema change check against real use: operations a partner registered through the gateway, exported from the
// database as npm run operations:export does, and the guides' and example clients' operations.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSchema, GraphQLSchema, printSchema } from "graphql";
import { MapperKind, mapSchema } from "@graphql-tools/utils";
import { documentHash } from "../../lib/document-hash";
import { runSchemaCheck } from "../../scripts/schema-check";
import { recordRelease } from "../../scripts/schema-release";
import { schemaChangelog } from "../../scripts/schema-contract/changelog";
import { currentApiSchemaSdl, exportRegisteredOperations, readReleases, RegisteredOperationsExport } from "../../scripts/schema-contract/sources";
import { seedVenue } from "../kit/factories";
import { graphql, tokenFor } from "../kit/http";
import { startSystem, TestSystem } from "../kit/system";

/** The schema with one object field deprecated (reason given) or removed (null). */
function withField(schema: GraphQLSchema, coordinate: string, deprecationReason: string | null): GraphQLSchema {
  const [typeName, fieldName] = coordinate.split(".");
  let found = false;
  const edited = mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, name, type) => {
      if (type !== typeName || name !== fieldName) return field;
      found = true;
      return deprecationReason === null ? null : { ...field, deprecationReason };
    },
  });
  if (!found) throw new Error(`no field ${coordinate}`);
  return edited;
}

const PARTNER_OPERATION = `query PartnerOrganisation($code: String!) { venue(code: $code) { code organization { name website } } }`;

describe("schema change check against registered and documented operations", () => {
  let system: TestSystem;
  let registered: RegisteredOperationsExport;
  let partnerClientId: string;
  let directory: string;
  const current = buildSchema(currentApiSchemaSdl());

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues"] });
    const venue = await seedVenue(system.dataSources.venues);
    const created = await graphql(
      system.gatewayUrl,
      `
        mutation ($input: CreateApiClientInput!) {
          createApiClient(input: $input) {
            clientSecret
            client {
              clientId
            }
          }
        }
      `,
      {
        token: tokenFor({ role: "ORGANIZER" }),
        variables: { input: { name: "Lisbon partner site", role: "PARTNER", organizationId: venue.organizationId } },
      },
    );
    partnerClientId = created.data!.createApiClient.client.clientId;
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
        variables: { id: partnerClientId, secret: created.data!.createApiClient.clientSecret },
      },
    );
    const registration = await graphql(
      system.gatewayUrl,
      `
        mutation ($manifest: JSON!) {
          registerOperations(manifest: $manifest) {
            added
          }
        }
      `,
      {
        token: issued.data!.issueToken.accessToken,
        variables: { manifest: { [documentHash(PARTNER_OPERATION)]: PARTNER_OPERATION } },
      },
    );
    expect(registration.data!.registerOperations.added).toBe(1);
    registered = await exportRegisteredOperations(system.databaseUrl);
  });
  afterAll(() => system.stop());
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "released-schemas-"));
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  const release = (version: string, schema: GraphQLSchema) => fs.writeFileSync(path.join(directory, `${version}.graphql`), `${printSchema(schema)}\n`);
  const check = (next: GraphQLSchema, today = "2026-12-02") =>
    runSchemaCheck({ releasedDir: directory, currentSdl: printSchema(next), registered, today: new Date(`${today}T00:00:00Z`) });

  it("exports what partners registered, with their client", () => {
    expect(registered.operations).toContainEqual(
      expect.objectContaining({
        clientId: partnerClientId,
        clientName: "Lisbon partner site",
        operationNames: ["PartnerOrganisation"],
        document: PARTNER_OPERATION,
      }),
    );
  });

  it("fails a breaking change to a field a registered operation uses, naming the operation and its client", async () => {
    // Deprecated long enough, but still used.
    release("2026-06-01", withField(current, "Organization.website", "Use links. Removal after 2026-10-01."));
    const { report, text } = await check(withField(current, "Organization.website", null));
    expect(report.passed).toBe(false);
    expect(report.breaking).toEqual([
      expect.objectContaining({
        coordinate: "Organization.website",
        allowed: false,
        operations: [expect.objectContaining({ name: "PartnerOrganisation", client: `${partnerClientId} (Lisbon partner site)` })],
      }),
    ]);
    expect(text).toContain(`breaks PartnerOrganisation (${partnerClientId} (Lisbon partner site); registered:${documentHash(PARTNER_OPERATION)})`);
    expect(report.invalidated.map((operation) => operation.name)).toEqual(["PartnerOrganisation"]);
  });

  it("names the guides' and example clients' operations a change would break", async () => {
    release("2026-06-01", withField(current, "Venue.city", "Use address. Removal after 2026-10-01."));
    const { report } = await check(withField(current, "Venue.city", null));
    expect(report.passed).toBe(false);
    const clients = report.breaking[0].operations.map((operation) => operation.client);
    expect(clients).toEqual(expect.arrayContaining(["docs", "examples/venue-site"]));
  });

  it("passes a breaking change to a field nobody uses that was deprecated long enough", async () => {
    release("2026-05-01", current);
    release("2026-06-01", withField(current, "Organization.createdAt", "Nobody needs it. Removal after 2026-10-01."));
    const { report, text } = await check(withField(current, "Organization.createdAt", null));
    expect(report.breaking).toEqual([expect.objectContaining({ coordinate: "Organization.createdAt", allowed: true, operations: [] })]);
    expect(report.passed).toBe(true);
    expect(text).toContain("Schema change check passed.");
  });

  it("fails the removal of an unused field that was not deprecated, deprecated without a date, too briefly, or not yet due", async () => {
    const removed = withField(current, "Organization.createdAt", null);
    const problemsWith = async (releases: [string, GraphQLSchema][], today?: string) => {
      fs.rmSync(directory, { recursive: true, force: true });
      fs.mkdirSync(directory);
      for (const [version, schema] of releases) release(version, schema);
      const { report } = await check(removed, today);
      expect(report.passed).toBe(false);
      return report.breaking[0].problems.join(" ");
    };
    expect(await problemsWith([["2026-06-01", current]])).toMatch(/was not deprecated/);
    expect(await problemsWith([["2026-06-01", withField(current, "Organization.createdAt", "Do not use.")]])).toMatch(/without a removal date/);
    expect(await problemsWith([["2026-09-15", withField(current, "Organization.createdAt", "Removal after 2026-10-01.")]])).toMatch(
      /16 days before its removal date; the policy asks for 90/,
    );
    expect(await problemsWith([["2026-06-01", withField(current, "Organization.createdAt", "Removal after 2027-01-01.")]])).toMatch(/after 2027-01-01 only/);
  });

  it("records releases and writes the changelog from their diffs", async () => {
    const deprecated = withField(current, "Organization.createdAt", "Nobody needs it. Removal after 2026-10-01.");
    expect(recordRelease(`${printSchema(current)}\n`, directory, new Date("2026-05-01T10:00:00Z"))).toBe("2026-05-01.graphql");
    expect(recordRelease(`${printSchema(current)}\n`, directory, new Date("2026-05-02T10:00:00Z"))).toBeUndefined();
    expect(recordRelease(`${printSchema(deprecated)}\n`, directory, new Date("2026-05-01T12:00:00Z"))).toBe("2026-05-01-2.graphql");
    expect(recordRelease(`${printSchema(withField(current, "Organization.createdAt", null))}\n`, directory, new Date("2026-10-02T10:00:00Z"))).toBe(
      "2026-10-02.graphql",
    );
    const withoutWebsite = withField(withField(current, "Organization.createdAt", null), "Organization.website", null);
    expect(
      recordRelease(`${printSchema(withoutWebsite)}\n`, directory, new Date("2026-10-03T10:00:00Z"), "Security fix: the field exposed private addresses."),
    ).toBe("2026-10-03.graphql");
    const changelog = await schemaChangelog(readReleases(directory));
    expect(changelog).toMatch(
      /## 2026-10-03\n\n\*\*Breaking changes accepted before the end of their notice period:\*\* Security fix: the field exposed private addresses\.\n\n### Breaking\n\n- Field 'website' was removed/,
    );
    expect(changelog.indexOf("## 2026-10-02")).toBeLessThan(changelog.indexOf("## 2026-05-01-2"));
    expect(changelog).toMatch(
      /## 2026-10-02\n\n### Breaking\n\n- Field 'createdAt' \(deprecated\) was removed from object type 'Organization' \(`Organization.createdAt`\)/,
    );
    expect(changelog).toMatch(
      /## 2026-05-01-2\n\n### Deprecated\n\n- Field 'Organization.createdAt' is deprecated \(`Organization.createdAt.@deprecated`\)\n\n## 2026-05-01\n/,
    );
  });
});
