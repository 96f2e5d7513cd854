// Work the gateway abandons is cancelled downstream (issue #19, class 4): when a subgraph's caller goes away, or
// the deadline the gateway passes on (x-request-deadline-ms) passes, the statements the request is running are
// cancelled in PostgreSQL and its pool connection comes back healthy. A statement is made to run for as long as the
// test wants, without any hook in the code: the test holds a lock on the table the query reads.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "pg";
import { startGateway } from "../../gateway";
import { config } from "../../lib/config";
import { DEADLINE_HEADER } from "../../lib/request-deadline";
import { errorCodes, graphql, GraphqlResponse, tokenFor } from "../kit/http";
import { startSystem, TestSystem } from "../kit/system";

const DIVISIONS = "{ divisions { code } }";

describe("abandoned work is cancelled downstream", () => {
  let system: TestSystem;
  let locker: Client;
  /** Reads pg_stat_activity outside the locker's transaction (a transaction sees one snapshot of it). */
  let observer: Client;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues"] });
    locker = new Client({ connectionString: system.databaseUrl, application_name: "abandoned-work-test" });
    observer = new Client({ connectionString: system.databaseUrl, application_name: "abandoned-work-test" });
    await Promise.all([locker.connect(), observer.connect()]);
  });
  afterAll(async () => {
    await Promise.all([locker.end(), observer.end()]);
    await system.stop();
  });

  /** Statements the venues subgraph is running on the division table (a blocked one is 'active', waiting on the lock). */
  const runningOnDivisions = async (): Promise<number> => {
    const { rows } = await observer.query(
      `SELECT count(*)::int AS running FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'image-china-venues' AND state = 'active' AND query ILIKE '%division%'`,
    );
    return rows[0].running;
  };

  const waitUntil = async (check: () => Promise<boolean>, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return check();
  };

  /** Holds an exclusive lock on venues.division (every read of it waits) until the returned function is called. */
  const lockDivisions = async () => {
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE venues.division IN ACCESS EXCLUSIVE MODE");
    return () => locker.query("ROLLBACK");
  };

  const pool = () => (system.dataSources.venues.driver as unknown as { master: { totalCount: number; idleCount: number; waitingCount: number } }).master;

  /**
   * Connections of the venues subgraph left inside a transaction: an aborted one (a cancelled statement whose
   * ROLLBACK never came), or one idle in a transaction for seconds. Background work (event cursors, webhooks) is
   * briefly idle in its transactions between statements, which is fine.
   */
  const inTransaction = async (): Promise<number> => {
    const { rows } = await observer.query(
      `SELECT count(*)::int AS open FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'image-china-venues'
          AND (state = 'idle in transaction (aborted)' OR (state = 'idle in transaction' AND state_change < now() - interval '2 seconds'))`,
    );
    return rows[0].open;
  };

  /** After the test: every pooled connection idle and outside any transaction, and a query through them answers. */
  const expectHealthyPool = async () => {
    expect(await waitUntil(async () => pool().idleCount === pool().totalCount && pool().waitingCount === 0, 5000)).toBe(true);
    expect(await inTransaction()).toBe(0);
    const answer = await graphql(system.gatewayUrl, DIVISIONS);
    expect(answer.errors).toBeUndefined();
    expect(Array.isArray(answer.data!.divisions)).toBe(true);
  };

  /**
   * Sends `body` through the gateway while venues.division is locked, waits until its statement blocks on the lock,
   * goes away, and expects the statement to be gone within 2 s with the lock still held (only a cancel ends it).
   */
  const abandonWhileBlocked = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const release = await lockDivisions();
    try {
      const caller = new AbortController();
      const request = fetch(system.gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
        signal: caller.signal,
      }).then(
        () => "answered",
        () => "aborted",
      );
      expect(await waitUntil(async () => (await runningOnDivisions()) === 1, 5000)).toBe(true);
      caller.abort();
      expect(await request).toBe("aborted");
      expect(await waitUntil(async () => (await runningOnDivisions()) === 0, 2000)).toBe(true);
    } finally {
      await release();
    }
  };

  it("a caller that goes away mid-query leaves no statement running (through the gateway)", async () => {
    await abandonWhileBlocked({ query: DIVISIONS });
    await expectHealthyPool();
  });

  it("a mutation abandoned inside its transaction is cancelled and rolled back; its connection comes back outside any transaction", async () => {
    await abandonWhileBlocked(
      { query: `mutation { createDivision(input: { code: "ABANDONED", name: "Abandoned division" }) { id } }` },
      { authorization: `Bearer ${tokenFor({ role: "ORGANIZER" })}` },
    );
    await expectHealthyPool();
    const { rows } = await observer.query(`SELECT count(*)::int AS created FROM venues.division WHERE code = 'ABANDONED'`);
    expect(rows[0].created).toBe(0);
  });

  it("a subgraph stops at the deadline its caller passed on, even while the connection stays open", async () => {
    const release = await lockDivisions();
    const started = Date.now();
    let answer: GraphqlResponse;
    try {
      const request = graphql(system.urls.venues, DIVISIONS, { headers: { [DEADLINE_HEADER]: "800" } });
      expect(await waitUntil(async () => (await runningOnDivisions()) === 1, 5000)).toBe(true);
      answer = await request;
      // Answered while the lock is still held, shortly after the deadline, with a retryable code.
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await runningOnDivisions()).toBe(0);
    } finally {
      await release();
    }
    expect(errorCodes(answer)).toEqual(["SERVICE_UNAVAILABLE"]);
    await expectHealthyPool();
  });

  it("the gateway tells each subgraph how long it will wait (its call deadline)", async () => {
    // A stand-in subgraph that records the headers it is sent.
    const seen: (string | undefined)[] = [];
    const fake = http.createServer((request, response) => {
      seen.push(request.headers[DEADLINE_HEADER] as string | undefined);
      request.resume();
      request.on("end", () => response.setHeader("content-type", "application/json").end(JSON.stringify({ data: { divisions: [] } })));
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    const gateway = await startGateway({
      port: 0,
      subgraphUrls: { ...system.urls, venues: `http://127.0.0.1:${(fake.address() as AddressInfo).port}/graphql` },
    });
    try {
      expect((await graphql(gateway.url, DIVISIONS)).errors).toBeUndefined();
      expect(seen).toHaveLength(1);
      expect(Number(seen[0])).toBe(config().subgraphTimeoutMs);
    } finally {
      await gateway.stop();
      fake.close();
    }
  });
});
