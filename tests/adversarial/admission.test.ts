// Admission before work (issue #19, classes 3, 4, 6, 7; #17's visible limits; #12 class 7): the cheapest refusals
// first, fair shares between the public and authenticated callers, bounded connections, and budgets counted by
// address group and by cost — each proven through the gateway as a client would meet it.
import "reflect-metadata";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parse } from "graphql";
import { loadApiSchema } from "../../gateway/explorer/explorer.routes";
import { measureOperation } from "../../gateway/limits/measure-operation";
import { subgraphSecretHeaders } from "../../lib/subgraph-secret";
import { graphql, tokenFor } from "../kit/http";
import type { QueryRunner } from "typeorm";
import { startSystem, TestSystem } from "../kit/system";
import { newRequestId, rawRequest, subgraphRequestsFor } from "./support";

const venueToken = () => tokenFor({ role: "VENUE", org: "00000000-0000-4000-8000-000000000001", venues: ["00000000-0000-4000-8000-000000000002"] });
const from = (address: string) => ({ "x-forwarded-for": address });
const DIVISIONS = `{ divisions { id } }`;

/** Sends a multipart upload of `totalBytes` as fast as the server reads it; resolves with the answer and how much was sent. */
function streamUpload(
  url: string,
  headers: Record<string, string>,
  totalBytes: number,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; sent: number }> {
  const boundary = "----admission-test";
  const preamble = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
      JSON.stringify({
        query: 'mutation($files: [Upload!]!) { uploadPhotos(entryId: "00000000-0000-4000-8000-000000000003", files: $files) { id } }',
        variables: { files: [null] },
      }) +
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.files.0"]}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
  const fileBytes = totalBytes - preamble.length - closing.length;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request(url, {
      method: "POST",
      agent: false,
      headers: {
        ...headers,
        "apollo-require-preflight": "true",
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": String(totalBytes),
      },
    });
    request.on("response", (response) => {
      answered = true;
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, sent }));
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (!answered && error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    request.write(preamble);
    sent += preamble.length;
    let left = fileBytes;
    const writeMore = () => {
      while (left > 0 && !answered && !request.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, left));
        left -= piece.length;
        sent += piece.length;
        if (!request.write(piece)) return void request.once("drain", writeMore);
      }
      if (left <= 0 && !answered) request.end(closing);
    };
    writeMore();
  });
}

/** GET of a path exactly as written (no client-side normalisation). */
function rawPathGet(gatewayUrl: string, rawPath: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: rawPath, method: "GET" }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on("error", reject);
    request.end();
  });
}

/**
 * A request whose headers arrived but whose body never completes (an upload in flight, a slow client): until closed it
 * holds what is taken on arrival (an upload's reservation, a subgraph's slot) — at the gateway, no GraphQL share slot.
 * Resolves once it is held (no answer came); a slot still being released by the previous request makes it retry.
 */
async function holdRequest(url: string, headers: Record<string, string>): Promise<{ close: () => void }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const request = http.request(url, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", ...headers, "content-length": "1000", "apollo-require-preflight": "true" },
    });
    request.on("error", () => undefined);
    const answered = new Promise<boolean>((resolve) => {
      request.once("response", (response) => {
        response.resume();
        resolve(true);
      });
      setTimeout(() => resolve(false), 200);
    });
    request.write('{"query":');
    if (!(await answered)) return { close: () => request.destroy() };
    request.destroy();
  }
  throw new Error("could not hold a slot");
}

describe("admission at the gateway", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({
      subgraphs: ["venues", "entries"],
      env: {
        RATE_LIMIT_PER_SECOND: "1",
        RATE_LIMIT_BURST: "6",
        ADMISSION_PUBLIC_CONCURRENCY: "1",
        ADMISSION_PUBLIC_QUEUE_LENGTH: "0",
        // Authenticated callers queue (long), anonymous ones do not: the shares' queues are separate.
        ADMISSION_QUEUE_LENGTH: "8",
        ADMISSION_QUEUE_TIMEOUT_MS: "60000",
        // Slots are held by queries waiting on a lock (see holdSlot): the gateway must not abandon them first.
        SUBGRAPH_TIMEOUT_MS: "30000",
        ADMISSION_AUTHENTICATED_CONCURRENCY: "4",
        RATE_LIMIT_COST_PER_POINT: "100",
        UPLOAD_MAX_CONCURRENT_PER_CLIENT: "1",
        UPLOAD_TEMP_BUDGET_BYTES: String(200 * 1024 * 1024),
      },
    });
  });
  afterAll(() => system.stop());

  describe("the budget is charged on arrival, before any other work", () => {
    it("counts requests with a bad token against the address, refused 401 without reading the body, then 429", async () => {
      const address = "198.51.100.10";
      const statuses: number[] = [];
      for (let i = 0; i < 9; i++) {
        const requestId = newRequestId();
        const response = await rawRequest(system.gatewayUrl, JSON.stringify({ query: DIVISIONS }), {
          "content-type": "application/json",
          authorization: "Bearer not-a-token",
          "x-request-id": requestId,
          ...from(address),
        });
        statuses.push(response.status);
        expect(response.headers.connection).toBe("close");
        expect(subgraphRequestsFor(requestId)).toBe(0);
      }
      // Six points of burst (plus what refilled meanwhile), then the address is out of budget.
      expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
      expect(statuses).toContain(429);
    });

    it("groups IPv6 callers by /64: eight addresses of one /64 share one bucket, another /64 has its own", async () => {
      const statuses: number[] = [];
      for (let i = 1; i <= 16; i++) statuses.push((await graphql(system.gatewayUrl, DIVISIONS, { headers: from(`2001:db8:aa:1::${i}`) })).status);
      const allowed = statuses.filter((status) => status === 200).length;
      expect(statuses).toContain(429);
      // The burst of six, plus at most a point per second of refill while the requests were answered.
      expect(allowed).toBeLessThan(12);
      expect((await graphql(system.gatewayUrl, DIVISIONS, { headers: from("2001:db8:aa:2::1") })).status).toBe(200);
    });
  });

  describe("uploads", () => {
    let tempDir: string;
    let savedTmp: string | undefined;

    beforeEach(() => {
      // graphql-upload buffers files under os.tmpdir(): point it at an empty folder to see what a request writes.
      savedTmp = process.env.TMPDIR;
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "admission-uploads-"));
      process.env.TMPDIR = tempDir;
    });
    afterEach(() => {
      process.env.TMPDIR = savedTmp;
      if (savedTmp === undefined) delete process.env.TMPDIR;
      fs.rmSync(tempDir, { recursive: true, force: true });
    });

    it.each([
      ["a bad token", { authorization: "Bearer forged" }],
      ["no token", {}],
    ])("with %s are refused before the body is read, writing nothing", async (_label, auth) => {
      const size = 64 * 1024 * 1024;
      const answer = await streamUpload(system.gatewayUrl, { ...auth, ...from(`198.51.100.${20 + Object.keys(auth).length}`) }, size);
      expect(answer.status).toBe(401);
      expect(answer.headers.connection).toBe("close");
      expect(JSON.parse(answer.body).errors[0].extensions.code).toBe("UNAUTHENTICATED");
      expect(answer.sent).toBeLessThan(size);
      expect(fs.readdirSync(tempDir)).toEqual([]);
    });

    it("are capped per client at once and by the temporary-disk budget, refused before a byte is read", async () => {
      const token = venueToken();
      // One upload in flight (its body never completes) holds the client's only slot.
      const held = await holdRequest(system.gatewayUrl, {
        authorization: `Bearer ${token}`,
        "content-type": "multipart/form-data; boundary=x",
        ...from("198.51.100.40"),
      });
      try {
        const second = await streamUpload(system.gatewayUrl, { authorization: `Bearer ${token}`, ...from("198.51.100.40") }, 8 * 1024 * 1024);
        expect(second.status).toBe(429);
        expect(JSON.parse(second.body).errors[0].extensions.code).toBe("RATE_LIMITED");
        // Another client may upload meanwhile; more than the whole temporary-disk budget is refused outright.
        const other = await streamUpload(
          system.gatewayUrl,
          {
            authorization: `Bearer ${tokenFor({ role: "VENUE", org: "00000000-0000-4000-8000-000000000001", venues: ["00000000-0000-4000-8000-000000000009"], sub: "other-venue" })}`,
            ...from("198.51.100.41"),
          },
          300 * 1024 * 1024,
        );
        expect(other.status).toBe(413);
        expect(other.sent).toBeLessThan(300 * 1024 * 1024);
        expect(fs.readdirSync(tempDir)).toEqual([]);
      } finally {
        held.close();
      }
    });
  });

  describe("capacity shares", () => {
    // A slot is held by a request admitted to the gateway's share whose query then waits in the entries database on
    // a table lock the test holds: the share counts requests being served, not requests whose body is still coming.
    const BLOCKED = `{ competition { name } }`;
    let lock: QueryRunner | undefined;
    const waitingOnLock = async () =>
      (
        await system.dataSources.entries.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%competition%'`,
        )
      )[0].n as number;
    beforeEach(async () => {
      lock = system.dataSources.entries.createQueryRunner();
      await lock.connect();
      await lock.startTransaction();
      await lock.query(`LOCK TABLE entries.competition IN ACCESS EXCLUSIVE MODE`);
    });
    afterEach(async () => {
      await lock?.rollbackTransaction();
      await lock?.release();
    });
    /** Sends BLOCKED and resolves once it waits on the lock (it holds its share's slot); close() abandons it. */
    async function holdSlot(headers: Record<string, string>): Promise<{ close: () => void }> {
      const before = await waitingOnLock();
      const controller = new AbortController();
      void fetch(system.gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query: BLOCKED }),
        signal: controller.signal,
      }).catch(() => undefined);
      for (let attempt = 0; attempt < 600 && (await waitingOnLock()) <= before; attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
      if ((await waitingOnLock()) <= before) throw new Error("could not hold a slot");
      return { close: () => controller.abort() };
    }

    it("takes no slot for a request whose body is still arriving: a slow anonymous client cannot block the public", async () => {
      const trickling = await holdRequest(system.gatewayUrl, from("198.51.100.28"));
      try {
        const answer = await graphql(system.gatewayUrl, DIVISIONS, { headers: from("198.51.100.27") });
        expect(answer.status).toBe(200);
        expect(answer.errors).toBeUndefined();
      } finally {
        trickling.close();
      }
    });

    it("sheds anonymous requests at once when the public share is full, while authenticated callers are served", async () => {
      const held = await holdSlot(from("198.51.100.30"));
      try {
        // The held request has the public share's only slot (its body never arrives).
        let shed: Awaited<ReturnType<typeof graphql>> | undefined;
        for (let i = 0; i < 50 && !shed; i++) {
          const response = await graphql(system.gatewayUrl, DIVISIONS, { headers: from(`198.51.100.${31 + i}`) });
          if (response.status === 503) shed = response;
          else await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(shed).toBeDefined();
        expect(shed!.errors![0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", reason: "OVERLOADED" });
        expect(Number(shed!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(shed!.data).toBeUndefined();
        const partner = await graphql(system.gatewayUrl, DIVISIONS, { token: tokenFor({ role: "ORGANIZER", sub: `share-${Math.random()}` }) });
        expect(partner.status).toBe(200);
        expect(partner.errors).toBeUndefined();
        // A page's media files have their own share: the public gets them (here: refused for the missing signature by
        // the entries service, not shed) while its GraphQL share is full.
        const media = await Promise.all(
          [1, 2, 3, 4, 5, 6].map((i) => fetch(new URL(`/media/photos/ab/missing-${i}.jpg`, system.gatewayUrl), { headers: from("198.51.100.29") })),
        );
        for (const response of media) expect(response.status).not.toBe(503);
      } finally {
        held.close();
      }
    });

    it("sheds anonymous requests on arrival, not after waiting out the queue, while authenticated ones wait their turn", async () => {
      // The public queue is empty by this system's settings; the authenticated one holds 8 for up to 60 s.
      const publicHeld = await holdSlot(from("198.51.100.60"));
      const organizer = () => tokenFor({ role: "ORGANIZER", sub: `queue-${Math.random()}` });
      const authenticatedHeld: { close: () => void }[] = [];
      for (let i = 0; i < 4; i++) authenticatedHeld.push(await holdSlot({ authorization: `Bearer ${organizer()}` }));
      try {
        const started = Date.now();
        let shed: Awaited<ReturnType<typeof graphql>> | undefined;
        for (let i = 0; i < 50 && !shed; i++) {
          const response = await graphql(system.gatewayUrl, DIVISIONS, { headers: from(`198.51.100.${61 + i}`) });
          if (response.status === 503) shed = response;
          else await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(shed?.errors?.[0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", reason: "OVERLOADED" });
        // Far below the 60 s a queued request may wait (the bound is loose: a busy machine is slow, not 60 s slow).
        expect(Date.now() - started).toBeLessThan(20_000);

        // All four authenticated slots are held: the next authenticated request waits, and is served when one frees.
        let settled = false;
        const queued = graphql(system.gatewayUrl, DIVISIONS, { token: organizer() }).finally(() => (settled = true));
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(settled).toBe(false);
        authenticatedHeld[0].close();
        const answer = await queued;
        expect(answer.status).toBe(200);
        expect(answer.errors).toBeUndefined();
      } finally {
        publicHeld.close();
        for (const held of authenticatedHeld) held.close();
      }
    });

    it("answers 503 without data, never 200 with partial data, when a subgraph sheds its part", async () => {
      // Fill the entries subgraph's public share directly (as other gateways' traffic would).
      const held = await holdRequest(system.urls.entries, subgraphSecretHeaders());
      try {
        const query = `{ divisions { id } competition { name } }`;
        let answer: Awaited<ReturnType<typeof graphql>> | undefined;
        for (let i = 0; i < 50; i++) {
          answer = await graphql(system.gatewayUrl, query, { headers: from(`198.51.100.${100 + i}`) });
          if (answer.status === 503) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(answer!.status).toBe(503);
        expect(answer!.data ?? null).toBeNull();
        expect(answer!.errors).toHaveLength(1);
        expect(answer!.errors![0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", reason: "OVERLOADED" });
        expect(JSON.stringify(answer!.errors)).not.toMatch(/entries|venues|subgraph|127\.0\.0\.1/i);
      } finally {
        held.close();
      }
    });
  });

  describe("visible limits (issue #17)", () => {
    it("reports the operation's cost and the remaining budget in extensions and RateLimit headers", async () => {
      const schema = await loadApiSchema();
      const token = tokenFor({ role: "ORGANIZER", sub: `visible-${Math.random()}` });
      const cheap = await graphql(system.gatewayUrl, DIVISIONS, { token });
      const cheapCost = measureOperation(parse(DIVISIONS), schema, { maxDepth: 50 }).cost;
      expect(cheap.status).toBe(200);
      expect(cheap.headers.get("ratelimit-limit")).toBe("6");
      expect(cheap.headers.get("ratelimit-policy")).toMatch(/^6;w=6;/);
      expect(Number(cheap.headers.get("ratelimit-remaining"))).toBe(5);
      expect(cheap.headers.get("ratelimit-reset")).toMatch(/^\d+$/);
      expect(cheap.extensions).toEqual({
        cost: { estimated: cheapCost, points: 1 },
        rateLimit: { limit: 6, perSecond: 1, remaining: 5, resetSeconds: expect.any(Number) },
      });
      const body: any = await (
        await fetch(system.gatewayUrl, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: `{ venues(first: 3) { totalCount } }` }),
        })
      ).json();
      const cost = measureOperation(parse(`{ venues(first: 3) { totalCount } }`), schema, { maxDepth: 50 }).cost;
      // RATE_LIMIT_COST_PER_POINT is 100 here: 1 point on arrival plus one per 100 of cost.
      const points = 1 + Math.floor(cost / 100);
      expect(points).toBeGreaterThan(1);
      expect(body.extensions.cost).toEqual({ estimated: cost, points });
      expect(body.extensions.rateLimit).toMatchObject({ limit: 6, perSecond: 1 });
      expect(body.extensions.rateLimit.remaining).toBeLessThanOrEqual(5 - points + 1);
      expect(cheapCost).toBeLessThan(100);
    });
  });

  describe("media and export routes (issue #12, class 7)", () => {
    it.each([
      "/media/%2e%2e/graphql",
      "/media/%2E%2E/%2e%2e/graphql",
      "/media/..%2fgraphql",
      "/media/a/%2e%2e/%2e%2e/graphql",
      "/exports/..%5cgraphql",
      "/media/.%2e/ready",
      "/media/%00",
      "/media//x",
    ])("refuses %s at the gateway, naming nothing inside", async (pathname) => {
      // Sent byte for byte: a URL parser in the client would normalise the dot segments away.
      const response = await rawPathGet(system.gatewayUrl, pathname);
      expect([pathname, response.status]).toEqual([pathname, 404]);
      expect(response.text).not.toMatch(/entries|subgraph|127\.0\.0\.1|graphql/i);
    });

    it("charges media and exports to the caller's budget", async () => {
      const origin = new URL(system.gatewayUrl).origin;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await rawRequest(`${origin}/exports/entries.csv`, "", { ...from("198.51.100.201") }, { method: "GET" })).status);
      expect(statuses).toContain(429);
    });
  });
});

describe("connections", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues"], env: { HTTP_HEADERS_TIMEOUT_MS: "300", HTTP_MAX_CONNECTIONS_PER_ADDRESS: "20" } });
  });
  afterAll(() => system.stop());

  const target = () => new URL(system.gatewayUrl);
  function openSilent(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(target().port), target().hostname, () => resolve(socket));
      // Sends nothing, but reads (and drops) whatever comes, so it notices when the server closes it.
      socket.resume();
      socket.on("error", () => undefined);
      socket.once("error", reject);
    });
  }
  const closed = (socket: net.Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve())));

  it("closes sockets that never send a byte", async () => {
    const sockets = await Promise.all(Array.from({ length: 15 }, openSilent));
    // Nothing but the header deadline from accept can end these.
    await Promise.all(sockets.map(closed));
    expect((await fetch(system.gatewayUrl.replace("/graphql", "/health"))).status).toBe(200);
  });

  it("caps connections per address: one more is closed at once, and the service answers when they go", async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, openSilent));
    const extra = await openSilent();
    await closed(extra);
    for (const socket of sockets) socket.destroy();
    await Promise.all(sockets.map(closed));
    expect((await fetch(system.gatewayUrl.replace("/graphql", "/health"))).status).toBe(200);
  });
});
