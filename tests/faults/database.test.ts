// PostgreSQL restarted under load, with every service in its own process against a PostgreSQL of its own:
// requests fail with a coded SERVICE_UNAVAILABLE (never a 500), /ready says not ready, no process crashes, the
// services recover by themselves when the database is back, and no accepted write is lost or half-written.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { errorCodes, graphql, GraphqlResponse, tokenFor } from "../kit/http";
import { seedCompetition, seedVenue } from "../kit/factories";
import { PostgresProcess, ProcessSystem, openSubgraphDatabases, sleep, startPostgresProcess, waitFor } from "./support";
import { freePortBlock } from "../../lib/free-ports";

describe("PostgreSQL restarted under load", () => {
  let directory: string;
  let port: number;
  let postgres: PostgresProcess | undefined;
  let system: ProcessSystem;
  const dataSources = {} as Record<"venues" | "entries", DataSource>;
  let venue: { id: string; organizationId: string };
  let venueToken: string;

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-pg-faults-"));
    port = await freePortBlock(1);
    postgres = await startPostgresProcess(path.join(directory, "cluster"), port);
    Object.assign(dataSources, await openSubgraphDatabases(postgres.url, ["venues", "entries"] as const));
    system = await ProcessSystem.create({ databaseUrl: postgres.url, dataDir: directory, env: { SUBGRAPH_TIMEOUT_MS: "8000" } });
    await seedCompetition(dataSources.entries);
    venue = await seedVenue(dataSources.venues);
    venueToken = tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] });
    await system.startAll();
  }, 180_000);

  afterAll(async () => {
    await system?.stopAll();
    for (const dataSource of Object.values(dataSources)) await dataSource?.destroy().catch(() => undefined);
    await postgres?.stop();
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  });

  const createEntry = (idempotencyKey: string) =>
    graphql(
      system.url("gateway"),
      `
        mutation ($input: CreateEntryInput!) {
          createEntry(input: $input) {
            id
          }
        }
      `,
      {
        token: venueToken,
        variables: {
          input: {
            venueId: venue.id,
            theme: "NATURE",
            kind: "SINGLE_PHOTO",
            title: `Outage ${idempotencyKey}`,
            idempotencyKey,
            entrant: { name: "Ana Sousa", email: `${idempotencyKey.toLowerCase()}@example.org`, country: "PT" },
            consentToRules: true,
            consentToPublication: true,
            declaresNoGenerativeAi: true,
          },
        },
      },
    );
  const readyStatus = (url: string) =>
    fetch(new URL("/ready", url), { signal: AbortSignal.timeout(8000) }).then(
      (response) => response.status,
      () => 0,
    );

  it("answers SERVICE_UNAVAILABLE while it is away, /ready 503, no crash, and recovers by itself", async () => {
    const outcomes: { key: string; response: GraphqlResponse; phase: string }[] = [];
    let phase = "before";
    let stopLoad = false;
    // Three clients writing (entries) and reading (venues + entries) in a loop, each request bounded by the gateway's timeout.
    const worker = async (index: number) => {
      for (let turn = 0; !stopLoad && turn < 500; turn++) {
        const key = `outage-${index}-${turn}-${randomBytes(3).toString("hex")}`;
        const response = await createEntry(key);
        outcomes.push({ key, response, phase });
        const read = await graphql(
          system.url("gateway"),
          `
            query ($v: ID!) {
              venue(id: $v) {
                code
                entries(first: 1) {
                  totalCount
                }
              }
            }
          `,
          { variables: { v: venue.id }, token: venueToken },
        );
        outcomes.push({ key: "", response: read, phase });
        await sleep(20);
      }
    };
    const load = Promise.all([0, 1, 2].map(worker));

    await sleep(1500);
    phase = "stopping";
    await postgres!.stop();
    postgres = undefined;
    phase = "down";
    await sleep(500);
    expect(await readyStatus(system.url("entries"))).toBe(503);
    expect(await readyStatus(system.url("gateway"))).toBe(503);
    await sleep(1000);
    phase = "restarting";
    postgres = await startPostgresProcess(path.join(directory, "cluster"), port);
    phase = "after";
    const recovered = await waitFor(async () => !!(await createEntry(`probe-${randomBytes(4).toString("hex")}`)).data?.createEntry, 30_000);
    stopLoad = true;
    await load;
    expect(recovered).toBe(true);

    // Every answer was JSON with coded errors; failures during the outage are SERVICE_UNAVAILABLE, never internal.
    // Any other code is a database error the services did not recognise as an outage: show what they logged of it.
    const unrecognised = outcomes.filter(({ response }) => errorCodes(response).some((code) => code !== "SERVICE_UNAVAILABLE"));
    if (unrecognised.length) {
      const logged = [...system.processes.values()].flatMap((service) => service.unexpectedErrors().map((line) => `${service.name}: ${line.slice(0, 3000)}`));
      throw new Error(
        `${unrecognised.length} answers with another code during the outage, e.g. ${JSON.stringify(unrecognised[0].response.errors)}\n${logged.join("\n")}`,
      );
    }
    for (const { response, phase: when } of outcomes) {
      expect(response.status).toBeLessThan(500);
      const codes = errorCodes(response);
      if (codes.length) {
        expect(["down", "stopping", "restarting", "after"]).toContain(when);
        for (const code of codes) expect(code).toBe("SERVICE_UNAVAILABLE");
      }
    }
    expect(outcomes.some(({ phase: when, response }) => when === "down" && errorCodes(response).includes("SERVICE_UNAVAILABLE"))).toBe(true);
    expect(outcomes.some(({ phase: when, response }) => when === "before" && !response.errors)).toBe(true);

    // No process crashed on the pool's errors, and all are ready again without a restart.
    for (const name of ["gateway", "venues", "entries", "judging", "exhibitions"] as const) expect(system.alive(name)).toBe(true);
    expect(await waitFor(async () => (await readyStatus(system.url("gateway"))) === 200, 20_000)).toBe(true);
    for (const name of ["venues", "entries", "judging", "exhibitions"] as const) expect(await readyStatus(system.url(name))).toBe(200);

    // Nothing accepted was lost; every write the client retries with its key exists exactly once, whole.
    const writes = outcomes.filter((outcome) => outcome.key);
    const acceptedIds = writes.filter((outcome) => outcome.response.data?.createEntry).map((outcome) => outcome.response.data!.createEntry.id as string);
    expect(acceptedIds.length).toBeGreaterThan(0);
    for (const outcome of writes.filter((item) => !item.response.data?.createEntry)) {
      const retried = await createEntry(outcome.key);
      expect(retried.errors).toBeUndefined();
    }
    const keys = writes.map((outcome) => outcome.key);
    const perKey: { key: string; count: number }[] = await dataSources.entries.query(
      `SELECT idempotency_key AS key, count(*)::int AS count FROM entries.entry WHERE idempotency_key = ANY($1) GROUP BY idempotency_key`,
      [keys],
    );
    expect(perKey).toHaveLength(keys.length);
    for (const row of perKey) expect(row.count).toBe(1);
    const [{ found }] = await dataSources.entries.query(`SELECT count(*)::int AS found FROM entries.entry WHERE id = ANY($1)`, [acceptedIds]);
    expect(found).toBe(acceptedIds.length);
    const [{ halves }] = await dataSources.entries.query(
      `SELECT count(*)::int AS halves FROM entries.entry e LEFT JOIN entries.entrant n ON n.id = e.entrant_id WHERE n.id IS NULL`,
    );
    expect(halves).toBe(0);
  });
});
