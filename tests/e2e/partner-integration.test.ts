import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { signToken } from "../../lib/auth";
import { config, setConfig } from "../../lib/config";
import { recordEvent } from "../../lib/events/outbox";
import { startSubgraph } from "../../lib/subgraph-service";
import { entriesSubgraph } from "../../subgraphs/entries";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { seedCompetition, seedEntry, seedVenue } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A partner's endpoint: records every delivery; answers `failures` 500s first. */
async function startReceiver(failures = 0) {
  const received: Received[] = [];
  let remainingFailures = failures;
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      if (remainingFailures > 0) {
        remainingFailures -= 1;
        response.writeHead(500).end("not now");
      } else response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/image-china`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a partner's receiver does: recompute the signature over timestamp and raw body. */
function signatureIsValid(delivery: Received, secret: string): boolean {
  const expected = `v1=${createHmac("sha256", secret).update(`${delivery.headers["x-image-china-timestamp"]}.${delivery.body}`).digest("hex")}`;
  return delivery.headers["x-image-china-signature"] === expected;
}

const organizer = () => tokenFor({ role: "ORGANIZER" });

describe("partner integration", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries"] });
    await seedCompetition(system.dataSources.entries);
  });
  afterAll(() => system.stop());

  async function createClient(input: Record<string, unknown>) {
    const response = await graphql(
      system.gatewayUrl,
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
      { variables: { input }, token: organizer() },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.createApiClient as { clientSecret: string; client: { id: string; clientId: string } };
  }

  const issue = (clientId: string, clientSecret: string) =>
    graphql(
      system.gatewayUrl,
      `
        mutation ($id: String!, $secret: String!) {
          issueToken(clientId: $id, clientSecret: $secret) {
            accessToken
          }
        }
      `,
      {
        variables: { id: clientId, secret: clientSecret },
      },
    );

  describe("credentials", () => {
    it("rotates a secret with a grace period for the old one", async () => {
      const venue = await seedVenue(system.dataSources.venues);
      const { clientSecret: first, client } = await createClient({ name: "Site", role: "PARTNER", organizationId: venue.organizationId });
      const rotate = `mutation($id: ID!, $grace: Int!) { rotateApiClientSecret(id: $id, graceSeconds: $grace) { clientSecret client { previousSecretExpiresAt } } }`;
      const rotated = await graphql(system.gatewayUrl, rotate, { variables: { id: client.id, grace: 3600 }, token: organizer() });
      const second = rotated.data!.rotateApiClientSecret.clientSecret as string;
      expect(second).not.toBe(first);
      expect(new Date(rotated.data!.rotateApiClientSecret.client.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now());
      expect((await issue(client.clientId, first)).errors).toBeUndefined();
      expect((await issue(client.clientId, second)).errors).toBeUndefined();
      // A rotation without grace ends the old secret at once.
      const third = (await graphql(system.gatewayUrl, rotate, { variables: { id: client.id, grace: 0 }, token: organizer() })).data!.rotateApiClientSecret
        .clientSecret;
      expect(errorCodes(await issue(client.clientId, second))).toEqual(["UNAUTHENTICATED"]);
      expect((await issue(client.clientId, third)).errors).toBeUndefined();
    });

    it("revokes a client: its existing tokens stop working through the gateway, and every service can learn it", async () => {
      const venue = await seedVenue(system.dataSources.venues);
      const { clientSecret, client } = await createClient({ name: "Venue site", role: "VENUE", venueId: venue.id });
      const token = (await issue(client.clientId, clientSecret)).data!.issueToken.accessToken as string;
      const query = `{ entries(first: 1) { totalCount } }`;
      expect((await graphql(system.gatewayUrl, query, { token })).errors).toBeUndefined();
      await graphql(
        system.gatewayUrl,
        `
          mutation ($id: ID!) {
            revokeApiClient(id: $id) {
              revokedAt
            }
          }
        `,
        { variables: { id: client.id }, token: organizer() },
      );
      const refused = await graphql(system.gatewayUrl, query, { token });
      expect(errorCodes(refused)).toEqual(["UNAUTHENTICATED"]);
      expect(refused.errors![0].message).toMatch(/revoked/);
      // The list the other services poll every REVOCATION_POLL_SECONDS (internal, straight to the venues subgraph).
      const list = await graphql(
        system.urls.venues,
        `
          {
            revokedApiClients {
              clientId
              revokedAt
            }
          }
        `,
        { token: organizer() },
      );
      expect(list.data!.revokedApiClients.map((row: { clientId: string }) => row.clientId)).toContain(client.clientId);
      expect(
        errorCodes(
          await graphql(
            system.urls.venues,
            `
              {
                revokedApiClients {
                  clientId
                }
              }
            `,
            { token: tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [] }) },
          ),
        ),
      ).toEqual(["FORBIDDEN"]);
    });
  });

  describe("webhooks", () => {
    async function partnerWithWebhook(receiverUrl: string, events = ["ENTRY_SUBMITTED", "ENTRY_WITHDRAWN"]) {
      const venue = await seedVenue(system.dataSources.venues);
      const partner = tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] });
      const created = await graphql(
        system.gatewayUrl,
        `
          mutation ($input: CreateWebhookInput!) {
            createWebhook(input: $input) {
              signingSecret
              webhook {
                id
                url
                events
              }
            }
          }
        `,
        { variables: { input: { url: receiverUrl, events } }, token: partner },
      );
      expect(created.errors).toBeUndefined();
      return { venue, partner, webhookId: created.data!.createWebhook.webhook.id as string, secret: created.data!.createWebhook.signingSecret as string };
    }

    it("delivers a signed event for the partner's venue when an entry is submitted, and nothing to other partners", async () => {
      const receiver = await startReceiver();
      const other = await startReceiver();
      try {
        const { venue, partner, webhookId, secret } = await partnerWithWebhook(receiver.url);
        await partnerWithWebhook(other.url);
        const draft = await seedEntry(system.dataSources.entries, {
          venueId: venue.id,
          organizationId: venue.organizationId,
          status: "DRAFT" as never,
          photos: 1,
        });
        const venueToken = tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] });
        const submitted = await graphql(
          system.gatewayUrl,
          `
            mutation ($id: ID!) {
              submitEntry(id: $id) {
                status
              }
            }
          `,
          { variables: { id: draft.id }, token: venueToken },
        );
        expect(submitted.data!.submitEntry.status).toBe("SUBMITTED");

        const delivery = await waitFor(() => receiver.received[0]);
        expect(signatureIsValid(delivery, secret)).toBe(true);
        expect(signatureIsValid(delivery, "whsec_wrong")).toBe(false);
        const body = JSON.parse(delivery.body);
        expect(body).toMatchObject({ type: "entry.submitted", data: { entryId: draft.id, venueId: venue.id, status: "SUBMITTED" } });
        expect(delivery.headers["x-image-china-event-id"]).toBe(body.id);
        expect(JSON.stringify(body)).not.toMatch(/@example\.org/);

        const deliveries = await graphql(
          system.gatewayUrl,
          `
            {
              webhooks {
                id
                deliveries(first: 5) {
                  edges {
                    node {
                      id
                      status
                      attempts
                      lastResponseCode
                      event {
                        type
                      }
                    }
                  }
                }
              }
            }
          `,
          { token: partner },
        );
        const own = deliveries.data!.webhooks.find((hook: { id: string }) => hook.id === webhookId);
        expect(own.deliveries.edges[0].node).toMatchObject({ status: "DELIVERED", attempts: 1, lastResponseCode: 204, event: { type: "entry.submitted" } });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(other.received).toHaveLength(0);

        // A replay sends the same event id again; a ping sends a test event.
        await graphql(
          system.gatewayUrl,
          `
            mutation ($id: ID!) {
              replayWebhookDelivery(id: $id) {
                status
              }
            }
          `,
          { variables: { id: own.deliveries.edges[0].node.id }, token: partner },
        );
        const replayed = await waitFor(() => receiver.received[1]);
        expect(JSON.parse(replayed.body).id).toBe(body.id);
        await graphql(
          system.gatewayUrl,
          `
            mutation ($id: ID!) {
              pingWebhook(id: $id) {
                id
              }
            }
          `,
          { variables: { id: webhookId }, token: partner },
        );
        const ping = await waitFor(() => receiver.received[2]);
        expect(JSON.parse(ping.body).type).toBe("ping");
      } finally {
        await receiver.close();
        await other.close();
      }
    });

    it("retries with backoff while the endpoint fails, and records each attempt", async () => {
      const receiver = await startReceiver(2);
      try {
        const { venue, partner, webhookId } = await partnerWithWebhook(receiver.url, ["ENTRY_WITHDRAWN"]);
        const entry = await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId });
        await graphql(
          system.gatewayUrl,
          `
            mutation ($id: ID!) {
              withdrawEntry(id: $id) {
                status
              }
            }
          `,
          { variables: { id: entry.id }, token: partner },
        );
        await waitFor(() => receiver.received.length >= 3 && receiver.received);
        const bodies = receiver.received.map((delivery) => JSON.parse(delivery.body));
        expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
        expect(bodies[0].type).toBe("entry.withdrawn");
        const deliveries = await graphql(
          system.gatewayUrl,
          `
            {
              webhooks {
                id
                deliveries {
                  edges {
                    node {
                      status
                      attempts
                      lastResponseCode
                    }
                  }
                }
              }
            }
          `,
          { token: partner },
        );
        const node = deliveries.data!.webhooks.find((hook: { id: string }) => hook.id === webhookId).deliveries.edges[0].node;
        expect(node).toEqual({ status: "DELIVERED", attempts: 3, lastResponseCode: 204 });
      } finally {
        await receiver.close();
      }
    });

    it("sends nothing for a change that rolled back", async () => {
      const receiver = await startReceiver();
      try {
        const { venue } = await partnerWithWebhook(receiver.url);
        const before = (await system.dataSources.entries.query(`SELECT count(*)::int AS count FROM entries.outbox`))[0].count;
        await expect(
          system.dataSources.entries.transaction(async (manager) => {
            await recordEvent(manager, "entries", {
              type: "entry.submitted",
              organizationIds: [venue.organizationId],
              payload: { entryId: "rolled-back", venueId: venue.id, status: "SUBMITTED", theme: "NATURE", kind: "PHOTO_SET", title: "x" },
            });
            throw new Error("the change failed");
          }),
        ).rejects.toThrow("the change failed");
        expect((await system.dataSources.entries.query(`SELECT count(*)::int AS count FROM entries.outbox`))[0].count).toBe(before);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(receiver.received).toHaveLength(0);
      } finally {
        await receiver.close();
      }
    });

    it("delivers an event committed by a process that died before anyone read it, from another copy's feed", async () => {
      const receiver = await startReceiver();
      try {
        const { venue, secret } = await partnerWithWebhook(receiver.url);
        // Committed, never given a feed position: as if the entries process died right after the commit.
        await system.dataSources.entries.query(`INSERT INTO entries.outbox (type, organization_ids, payload) VALUES ('entry.submitted', $1::uuid[], $2)`, [
          [venue.organizationId],
          JSON.stringify({ entryId: "from-before-the-restart", venueId: venue.id }),
        ]);
        // Another copy of the entries service serves the feed (positions are stamped by whichever copy serves it).
        const copy = await startSubgraph(entriesSubgraph, { port: 0, databaseUrl: system.databaseUrl });
        const saved = config();
        setConfig({ ...saved, subgraphUrls: { ...saved.subgraphUrls, entries: copy.url } });
        try {
          const delivery = await waitFor(() => receiver.received.find((item) => item.body.includes("from-before-the-restart")));
          expect(signatureIsValid(delivery, secret)).toBe(true);
        } finally {
          setConfig(saved);
          await copy.stop();
        }
      } finally {
        await receiver.close();
      }
    });

    it("refuses endpoints on private, loopback or link-local addresses outside development", async () => {
      const venue = await seedVenue(system.dataSources.venues);
      const partner = tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] });
      const saved = config();
      setConfig({ ...saved, webhooks: { ...saved.webhooks, allowPrivateTargets: false } });
      try {
        for (const url of [
          "http://example.org/hook",
          "https://127.0.0.1/hook",
          "https://localhost/hook",
          "https://10.1.2.3/x",
          "https://169.254.169.254/latest",
          "https://[::1]/x",
        ]) {
          const response = await graphql(
            system.gatewayUrl,
            `
              mutation ($input: CreateWebhookInput!) {
                createWebhook(input: $input) {
                  signingSecret
                }
              }
            `,
            {
              variables: { input: { url, events: ["ENTRY_SUBMITTED"] } },
              token: partner,
            },
          );
          expect([url, errorCodes(response)]).toEqual([url, ["BAD_USER_INPUT"]]);
        }
      } finally {
        setConfig(saved);
      }
    });
  });

  it("reports usage per client to organisers", async () => {
    const venue = await seedVenue(system.dataSources.venues);
    const { clientSecret, client } = await createClient({ name: "Usage site", role: "VENUE", venueId: venue.id });
    const token = (await issue(client.clientId, clientSecret)).data!.issueToken.accessToken as string;
    const from = new Date(Date.now() - 120_000).toISOString();
    for (let i = 0; i < 3; i++)
      await graphql(
        system.gatewayUrl,
        `
          {
            entries(first: 1) {
              totalCount
            }
          }
        `,
        { token },
      );
    await graphql(
      system.gatewayUrl,
      `
        {
          entry(id: "bad") {
            id
          }
        }
      `,
      { token },
    );
    // The gateway reports every USAGE_FLUSH_MS (200 ms in tests).
    let row: { clientId: string; requests: number } | undefined;
    for (let attempt = 0; attempt < 50 && !(row && row.requests >= 4); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await graphql(
        system.gatewayUrl,
        `
          query ($from: DateTime!, $to: DateTime!) {
            apiUsage(from: $from, to: $to) {
              clientId
              requests
              errors
              rateLimited
            }
          }
        `,
        {
          variables: { from, to: new Date(Date.now() + 120_000).toISOString() },
          token: organizer(),
        },
      );
      row = response.data!.apiUsage.find((item: { clientId: string }) => item.clientId === client.clientId);
    }
    expect(row).toEqual({ clientId: client.clientId, requests: 4, errors: 1, rateLimited: 0 });
  });
});

describe("rate limits at the gateway", () => {
  async function burst(system: TestSystem, token: string, count: number) {
    return Promise.all(
      Array.from({ length: count }, () =>
        graphql(
          system.gatewayUrl,
          `
            {
              divisions {
                id
              }
            }
          `,
          { token },
        ),
      ),
    );
  }

  async function checkLimits(env: Record<string, string>) {
    const system = await startSystem({ subgraphs: ["venues"], env: { RATE_LIMIT_PER_SECOND: "1", RATE_LIMIT_BURST: "3", ...env } });
    try {
      const token = tokenFor({ role: "ORGANIZER", sub: `rate-test-${Math.random()}` });
      const started = Date.now();
      const responses = await burst(system, token, 8);
      const elapsedSeconds = (Date.now() - started) / 1000;
      const limited = responses.filter((response) => errorCodes(response).includes("RATE_LIMITED"));
      // The burst of 3, plus at most what refilled (1 per second) while the requests were answered.
      const allowed = responses.length - limited.length;
      expect(allowed).toBeGreaterThanOrEqual(3);
      expect(allowed).toBeLessThanOrEqual(3 + Math.ceil(elapsedSeconds));
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0].status).toBe(429);
      expect(Number(limited[0].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(limited[0].errors![0].extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      // Another client has its own bucket; a client with its own limit (carried in its token) gets it.
      expect(errorCodes((await burst(system, tokenFor({ role: "ORGANIZER", sub: `other-${Math.random()}` }), 1))[0])).toEqual([]);
      const generous = signToken({ sub: `generous-${Math.random()}`, role: "ORGANIZER" as never, cid: `generous-${Math.random()}`, rl: [50, 50] }).token;
      const ownLimit = await burst(system, generous, 10);
      expect(ownLimit.every((response) => errorCodes(response).length === 0)).toBe(true);
    } finally {
      await system.stop();
    }
  }

  it("refuses a client over its limit with RATE_LIMITED and a retry hint (in-memory counters)", () => checkLimits({}));

  const redisUrl = process.env.REDIS_URL;
  (redisUrl ? it : it.skip)(
    redisUrl ? "does the same with counters in Redis, shared by gateways" : "does the same with counters in Redis (skipped: REDIS_URL is not set)",
    () => checkLimits({ REDIS_URL: redisUrl ?? "" }),
  );
});
