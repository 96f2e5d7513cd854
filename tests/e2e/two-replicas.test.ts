// Every service runs as two copies sharing PostgreSQL (and Redis when REDIS_URL is set): copy A in this process,
// copy B — a gateway and all four subgraphs — in a separate process (npm start's launcher against the same
// DATABASE_URL), so no module state is shared between the copies. Requests alternate between the two gateways.
import { spawn, ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { signToken } from "../../lib/auth";
import { config } from "../../lib/config";
import { PROJECT_ROOT } from "../../lib/paths";
import { ThemeCode } from "../../lib/themes";
import { makeJpeg } from "../../subgraphs/entries/media/fixtures";
import { ExhibitionStatus } from "../../subgraphs/exhibitions/exhibition/exhibition.entity";
import { seedExhibition, seedTenant } from "../kit/exhibitions-factories";
import { seedCompetition, seedDivision, seedEntry, seedVenue, unique } from "../kit/factories";
import { judgingApi, ok, seedJudge } from "../kit/judging-factories";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { multipartGraphql } from "../kit/multipart";
import { startSystem, TestSystem } from "../kit/system";
import { startS3Server, TestS3Server } from "../kit/s3-server";
import { freePortBlock } from "../../lib/free-ports";

const redisUrl = process.env.REDIS_URL;

/**
 * The one place the entries copies' media storage is configured: each copy keeps its own data dir (temporary files),
 * and media live in one S3-protocol store (s3rver, started by the test), as in a deployment with object storage, so
 * a file uploaded through one copy is served by the other.
 */
let s3: TestS3Server;
function entriesStorage(dataDir: string): Record<string, string> {
  return { DATA_DIR: dataDir, ...s3.env };
}

/** Settings both copies share: one database, one Redis, fast pollers so the test waits little. */
const SHARED = {
  REVOCATION_POLL_SECONDS: "1",
  WEBHOOK_POLL_MS: "50",
  WEBHOOK_RETRY_BASE_MS: "100",
  USAGE_FLUSH_MS: "200",
  REDIS_URL: redisUrl ?? "",
  RATE_LIMIT_PER_SECOND: "100000",
  RATE_LIMIT_BURST: "100000",
  ADMISSION_PUBLIC_CONCURRENCY: "32",
  ADMISSION_PUBLIC_QUEUE_LENGTH: "64",
  RESPONSE_CACHE: "off",
};

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, attempts = 150): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the condition never held");
}

describe("two copies of every service", () => {
  let a: TestSystem;
  let copyB: ChildProcess;
  let gatewayB = "";
  const dataDirB = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-copy-b-"));
  let stderrB = "";

  beforeAll(async () => {
    if (!redisUrl) process.stdout.write("two-replicas: REDIS_URL is not set; the shared rate-limit budget is not checked.\n");
    s3 = await startS3Server();
    a = await startSystem({ env: { ...SHARED, ...s3.env } });
    await seedCompetition(a.dataSources.entries);
    const port = await freePortBlock(5);
    copyB = spawn(process.execPath, ["-r", path.join(PROJECT_ROOT, "tests/kit/ts-register.js"), path.join(PROJECT_ROOT, "scripts/start.ts")], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        ...SHARED,
        ...entriesStorage(dataDirB),
        LOG_LEVEL: "warn",
        PORT: String(port),
        DATABASE_URL: a.databaseUrl,
        DEMO_DATA: "false",
        SUBGRAPH_SECRET: config().subgraphSecret!,
        OTEL_EXPORTER_OTLP_ENDPOINT: "",
        METRICS_PORT: "",
      },
    });
    let stdout = "";
    copyB.stderr!.on("data", (chunk: Buffer) => (stderrB = (stderrB + chunk.toString()).slice(-5000)));
    await new Promise<void>((resolve, reject) => {
      copyB.stdout!.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("is ready")) resolve();
      });
      copyB.once("exit", (code) => reject(new Error(`copy B exited (${code}): ${stderrB}`)));
    });
    gatewayB = `http://127.0.0.1:${port}/graphql`;
  }, 240_000);

  afterAll(async () => {
    if (copyB && copyB.exitCode === null) {
      const exited = new Promise((resolve) => copyB.once("exit", resolve));
      copyB.kill("SIGTERM");
      await exited;
    }
    await a?.stop();
    await s3?.stop();
    fs.rmSync(dataDirB, { recursive: true, force: true });
  });

  const gateways = () => [a.gatewayUrl, gatewayB];

  it("runs the venue flow across both: create on A, upload on B, submit on A; one webhook delivery per event", async () => {
    const received: string[] = [];
    const receiver = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const venue = await seedVenue(a.dataSources.venues);
      const partner = tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] });
      const hook = await graphql(
        gatewayB,
        `
          mutation ($input: CreateWebhookInput!) {
            createWebhook(input: $input) {
              webhook {
                id
              }
            }
          }
        `,
        {
          variables: { input: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ["ENTRY_SUBMITTED"] } },
          token: partner,
        },
      );
      expect(hook.errors).toBeUndefined();

      const token = tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] });
      const created = await graphql(
        a.gatewayUrl,
        `
          mutation ($input: CreateEntryInput!) {
            createEntry(input: $input) {
              id
              status
            }
          }
        `,
        {
          variables: {
            input: {
              venueId: venue.id,
              theme: "EXCHANGES",
              kind: "PHOTO_SET",
              title: `Two copies ${unique()}`,
              entrant: { name: "Ana Sousa", email: `${unique().toLowerCase()}@example.org`, country: "PT" },
              consentToRules: true,
              consentToPublication: true,
              declaresNoGenerativeAi: true,
            },
          },
          token,
        },
      );
      expect(created.errors).toBeUndefined();
      const entryId = created.data!.createEntry.id as string;
      const uploaded = await multipartGraphql(
        gatewayB,
        `mutation($entryId: ID!, $files: [Upload!]!) { uploadPhotos(entryId: $entryId, files: $files) { position } }`,
        { entryId, files: [null, null] },
        {
          "variables.files.0": { path: await makeJpeg({ width: 1600, height: 1200, hue: 30 }) },
          "variables.files.1": { path: await makeJpeg({ width: 1200, height: 1600, hue: 200 }) },
        },
        { token },
      );
      expect(uploaded.errors).toBeUndefined();
      // The photos stored by copy B are rows both copies read.
      const onA = await graphql(
        a.gatewayUrl,
        `
          query ($id: ID!) {
            entry(id: $id) {
              photos {
                position
              }
            }
          }
        `,
        { variables: { id: entryId }, token },
      );
      expect(onA.data!.entry.photos).toEqual([{ position: 1 }, { position: 2 }]);
      // The files copy B stored are in the shared object store: both gateways serve the same bytes of a photo.
      const urls = await graphql(
        a.gatewayUrl,
        `
          query ($id: ID!) {
            entry(id: $id) {
              photos {
                url(size: ORIGINAL)
              }
            }
          }
        `,
        { variables: { id: entryId }, token },
      );
      expect(urls.errors).toBeUndefined();
      const signed = new URL(urls.data!.entry.photos[0].url, a.gatewayUrl);
      const bodies = await Promise.all(
        gateways().map(async (gatewayUrl) => {
          const response = await fetch(new URL(signed.pathname + signed.search, gatewayUrl));
          expect(response.status).toBe(200);
          return Buffer.from(await response.arrayBuffer());
        }),
      );
      expect(bodies[0].length).toBeGreaterThan(1000);
      expect(bodies[1].equals(bodies[0])).toBe(true);
      const submitted = await graphql(
        a.gatewayUrl,
        `
          mutation ($id: ID!) {
            submitEntry(id: $id) {
              status
            }
          }
        `,
        { variables: { id: entryId }, token },
      );
      expect(submitted.errors).toBeUndefined();
      expect(submitted.data!.submitEntry.status).toBe("SUBMITTED");

      // Both copies' event followers (sharing one cursor) and webhook workers run; the event reaches the partner once.
      await until(() => received.length > 0);
      await until(async () => {
        const [row] = await a.dataSources.venues.query(`SELECT count(*)::int AS pending FROM venues.webhook_delivery WHERE status = 'PENDING'`);
        const [outbox] = await a.dataSources.entries.query(`SELECT COALESCE(max(position), 0) AS head FROM entries.outbox`);
        const [cursor] = await a.dataSources.venues.query(`SELECT position FROM venues.event_cursor WHERE producer = 'entries'`);
        return row.pending === 0 && Number(cursor?.position ?? -1) >= Number(outbox.head);
      });
      // Several poll cycles of both webhook workers (50 ms each) pass before the count is read again.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const submittedEvents = received.map((body) => JSON.parse(body)).filter((event) => event.type === "entry.submitted" && event.data.entryId === entryId);
      expect(submittedEvents).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it("an exhibition published through B is public through A, its exhibition.published event recorded once", async () => {
    const tenant = await seedTenant(a, 2);
    const { exhibition } = await seedExhibition(a, {
      status: ExhibitionStatus.DRAFT,
      hostVenueIds: [tenant.venue.id],
      entryIds: tenant.entries.map((entry) => entry.id),
    });
    const query = `query($slug: String!) { exhibition(slug: $slug) { status works(first: 5) { totalCount edges { node { entry { id } } } } } }`;
    expect((await graphql(a.gatewayUrl, query, { variables: { slug: exhibition.slug } })).data!.exhibition).toBeNull();
    const published = await graphql(
      gatewayB,
      `
        mutation ($id: ID!) {
          publishExhibition(id: $id) {
            status
          }
        }
      `,
      { variables: { id: exhibition.id }, token: tokenFor({ role: "ORGANIZER" }) },
    );
    expect(published.errors).toBeUndefined();
    expect(published.data!.publishExhibition.status).toBe("PUBLISHING");
    // Whichever copies follow the feeds make the entries public, then the exhibition; copy A reads the same rows.
    await until(async () => (await graphql(a.gatewayUrl, query, { variables: { slug: exhibition.slug } })).data?.exhibition?.status === "PUBLISHED");
    const onA = await graphql(a.gatewayUrl, query, { variables: { slug: exhibition.slug } });
    expect(onA.errors).toBeUndefined();
    expect(onA.data!.exhibition.status).toBe("PUBLISHED");
    expect(onA.data!.exhibition.works.edges.map((edge: { node: { entry: { id: string } | null } }) => edge.node.entry?.id).sort()).toEqual(
      tenant.entries.map((entry) => entry.id).sort(),
    );
    const events = await a.dataSources.exhibitions.query(
      `SELECT count(*)::int AS count FROM exhibitions.outbox WHERE type = 'exhibition.published' AND payload::text LIKE $1`,
      [`%${exhibition.id}%`],
    );
    expect(events[0].count).toBe(1);
  });

  it("judges score through both gateways and the round closes through either", async () => {
    const division = await seedDivision(a.dataSources.venues, { code: unique("D") });
    const venue = await seedVenue(a.dataSources.venues, { divisionId: division.id });
    const entryIds: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      entryIds.push((await seedEntry(a.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, themeCode: ThemeCode.OVERSEAS })).id);
    }
    const judge = await seedJudge(a.dataSources.judging);
    const [onA, onB] = gateways().map((url) => judgingApi(url));
    const round = await onA.createRound({ name: `Two copies ${unique()}`, kind: "SCORE", theme: "OVERSEAS", divisionId: division.id, quorum: 1 });
    ok(await onB.assignJudges({ roundId: round.id, judgeIds: [judge.id] }));
    await onA.openRound(round.id);
    for (const [index, entryId] of entryIds.entries())
      ok(await (index % 2 ? onB : onA).submitScore(judge.id, { roundId: round.id, entryId, value: 2 + index }));
    const closed = ok(await onB.closeRound(round.id));
    expect(closed.closeRound.status).toBe("CLOSED");
    const [scores] = await a.dataSources.judging.query(`SELECT count(*)::int AS count FROM judging.score WHERE round_id = $1`, [round.id]);
    expect(scores.count).toBe(entryIds.length);
  });

  it("a revoked API client is refused by both gateways", async () => {
    const venue = await seedVenue(a.dataSources.venues);
    const organizer = tokenFor({ role: "ORGANIZER" });
    const made = await graphql(
      a.gatewayUrl,
      `
        mutation ($input: CreateApiClientInput!) {
          createApiClient(input: $input) {
            clientSecret
            client {
              id
              clientId
            }
          }
        }
      `,
      {
        variables: { input: { name: `Two copies ${unique()}`, role: "VENUE", venueId: venue.id } },
        token: organizer,
      },
    );
    expect(made.errors).toBeUndefined();
    const { clientSecret, client } = made.data!.createApiClient;
    const issued = await graphql(
      gatewayB,
      `
        mutation ($id: String!, $secret: String!) {
          issueToken(clientId: $id, clientSecret: $secret) {
            accessToken
          }
        }
      `,
      { variables: { id: client.clientId, secret: clientSecret } },
    );
    const token = issued.data!.issueToken.accessToken as string;
    const query = `{ entries(first: 1) { totalCount } }`;
    for (const gateway of gateways()) expect((await graphql(gateway, query, { token })).errors).toBeUndefined();

    // Revoked through B; A (another process) learns it from the shared database within its polling period.
    await graphql(
      gatewayB,
      `
        mutation ($id: ID!) {
          revokeApiClient(id: $id) {
            revokedAt
          }
        }
      `,
      { variables: { id: client.id }, token: organizer },
    );
    for (const gateway of gateways()) {
      const refused = await until(async () => {
        const response = await graphql(gateway, query, { token });
        return errorCodes(response).includes("UNAUTHENTICATED") ? response : undefined;
      });
      expect(refused.errors![0].message).toMatch(/revoked/);
    }
  });

  (redisUrl ? it : it.skip)(
    redisUrl
      ? "a client's rate limit is one budget across both gateways (Redis)"
      : "a client's rate limit is one budget across both gateways (skipped: REDIS_URL is not set)",
    async () => {
      // The client's own limit travels in its token: 1 request per second, a burst of 5.
      const token = signToken({ sub: `budget-${randomUUID()}`, role: "ORGANIZER" as never, cid: `budget-${randomUUID()}`, rl: [1, 5] }).token;
      const started = Date.now();
      const responses = [];
      for (let index = 0; index < 16; index += 1)
        responses.push(
          await graphql(
            gateways()[index % 2],
            `
              {
                divisions {
                  id
                }
              }
            `,
            { token },
          ),
        );
      const elapsedSeconds = (Date.now() - started) / 1000;
      const allowed = responses.filter((response) => !errorCodes(response).includes("RATE_LIMITED")).length;
      // Two budgets would allow 10 at once; one shared budget allows the burst plus what refilled meanwhile.
      expect(allowed).toBeGreaterThanOrEqual(5);
      expect(allowed).toBeLessThanOrEqual(5 + Math.ceil(elapsedSeconds));
      expect(
        new Set(responses.map((response, index) => (errorCodes(response).includes("RATE_LIMITED") ? index % 2 : -1)).filter((gateway) => gateway >= 0)).size,
      ).toBe(2);
    },
  );
});
