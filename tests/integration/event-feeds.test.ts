// The rules the event feeds rest on, against a real PostgreSQL: no call to another service while a transaction is
// open, positions given in the order events became visible (never below one already served), and a feed that is
// for the API's own services only.
import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { loadConfig, setConfig } from "../../lib/config";
import { openDatabase } from "../../lib/database";
import { readFeed as readPositioned, recordEvent, stampPositions } from "../../lib/events/outbox";
import { callSubgraph, InternalCallError } from "../../lib/internal-client";
import { CallInsideTransactionError } from "../../lib/transaction-scope";
import { migrationsBySubgraph } from "../../migrations";
import { createTestDatabase } from "../kit/database";
import { startSystem, TestSystem } from "../kit/system";
import { tokenFor } from "../kit/http";
import { serviceToken } from "../../lib/auth";
import { subgraphSecretHeaders } from "../../lib/subgraph-secret";

/** What the feed route does: positions committed events, then reads. */
async function readFeed(...args: Parameters<typeof readPositioned>) {
  await stampPositions(args[0], args[1]);
  return readPositioned(...args);
}

const changed = (id: string) => ({ type: "exhibition.changed" as const, organizationIds: [], payload: { exhibitionId: id, slug: id } });

describe("event feeds", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    setConfig(loadConfig({ ...process.env, SUBGRAPH_SECRET: "", ENTRIES_URL: "http://127.0.0.1:9/graphql" }));
    database = await createTestDatabase();
    dataSource = await openDatabase({ schema: "exhibitions", url: database.url, entities: [], migrations: migrationsBySubgraph.exhibitions, poolSize: 4 });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it("refuses a call to another service while a transaction is open, and makes it outside one", async () => {
    await expect(dataSource.transaction(() => callSubgraph("exhibitions", "entries", "{ __typename }"))).rejects.toBeInstanceOf(CallInsideTransactionError);
    // Nested work started inside the transaction is inside it too.
    await expect(
      dataSource.transaction(async () => Promise.resolve().then(() => callSubgraph("exhibitions", "entries", "{ __typename }"))),
    ).rejects.toBeInstanceOf(CallInsideTransactionError);
    // Outside: the call is made (and fails only because nothing listens there).
    await expect(callSubgraph("exhibitions", "entries", "{ __typename }")).rejects.toBeInstanceOf(InternalCallError);
  });

  it("positions events in the order they became visible: one committed while another was open comes first", async () => {
    const before = await readFeed(dataSource.manager, "exhibitions", 0, 500, []);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = dataSource.transaction(async (manager) => {
      await recordEvent(manager, "exhibitions", changed("slow"));
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await dataSource.transaction((manager) => recordEvent(manager, "exhibitions", changed("fast")));
    const middle = await readFeed(dataSource.manager, "exhibitions", before.position, 500, []);
    expect(middle.events.map((event) => (event.payload as { slug: string }).slug)).toEqual(["fast"]);
    release();
    await slow;
    const after = await readFeed(dataSource.manager, "exhibitions", middle.position, 500, []);
    expect(after.events.map((event) => (event.payload as { slug: string }).slug)).toEqual(["slow"]);
    expect(after.events[0].position).toBeGreaterThan(middle.events[0].position);
  });

  it("serves no event of a transaction that rolled back", async () => {
    const before = await readFeed(dataSource.manager, "exhibitions", 0, 500, []);
    await expect(
      dataSource.transaction(async (manager) => {
        await recordEvent(manager, "exhibitions", changed("rolled-back"));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect((await readFeed(dataSource.manager, "exhibitions", before.position, 500, [])).events).toEqual([]);
  });
});

describe("an event feed over HTTP", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["exhibitions"], gateway: false });
  });
  afterAll(() => system.stop());

  const feed = (query: string, token?: string) =>
    fetch(new URL(`/internal/events?${query}`, system.urls.exhibitions), {
      headers: { ...subgraphSecretHeaders(), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

  it("answers services only, filters by type, and a long poll returns as soon as an event commits", async () => {
    expect((await feed("after=0")).status).toBe(403);
    expect((await feed("after=0", tokenFor({ role: "ORGANIZER" }))).status).toBe(403);
    expect((await feed("after=-1", serviceToken("judging"))).status).toBe(400);
    const head = ((await (await feed("after=0&limit=500", serviceToken("judging"))).json()) as { head: number }).head;
    const waiting = feed(`after=${head}&wait=20000&types=exhibition.changed`, serviceToken("judging"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await system.dataSources.exhibitions.transaction(async (manager) => {
      await recordEvent(manager, "exhibitions", { type: "exhibition.archived", organizationIds: [], payload: { exhibitionId: "a", slug: "a" } });
      await recordEvent(manager, "exhibitions", changed(randomUUID()));
    });
    const page = (await (await waiting).json()) as { events: { type: string }[]; position: number };
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(page.events.map((event) => event.type)).toEqual(["exhibition.changed"]);
    expect(page.position).toBe(head + 2);
  });
});
