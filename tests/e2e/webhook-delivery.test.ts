// Webhook delivery under a slow or failing endpoint (issue #19, class 2) and the address guard on what is dialled
// (issue #12, class 4): one endpoint's trouble delays only itself, every attempt has an absolute deadline, a
// failing endpoint trips its circuit, and what partners read names a coarse cause only.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { config, setConfig } from "../../lib/config";
import { errorCodes, graphql, tokenFor } from "../kit/http";
import { seedVenue } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";

async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An endpoint: healthy (204), failing (500) or trickling (a status line one byte at a time, never finished). */
async function startEndpoint(behaviour: "healthy" | "failing" | "trickling") {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push(body);
      if (behaviour === "healthy") response.writeHead(204).end();
      else if (behaviour === "failing") response.writeHead(500).end("no");
      else {
        // A valid answer, one byte every 100 ms, whose headers never end.
        const socket = response.socket!;
        const answer = "HTTP/1.1 200 OK\r\nX-Slow: ";
        let sent = 0;
        const timer = setInterval(() => socket.write(sent < answer.length ? answer[sent++] : "a"), 100);
        socket.on("close", () => clearInterval(timer));
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Connections the endpoint holds open now. */
    openConnections: () => sockets.size,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("webhook delivery", () => {
  let system: TestSystem;
  const saved = () => config();

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues"] });
  });
  afterAll(() => system.stop());

  async function webhookTo(url: string) {
    const venue = await seedVenue(system.dataSources.venues);
    const token = tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] });
    const created = await graphql(
      system.gatewayUrl,
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
        variables: { input: { url, events: ["ENTRY_SUBMITTED"] } },
        token,
      },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createWebhook.webhook.id as string;
    return {
      id,
      ping: async () =>
        expect(
          (
            await graphql(
              system.gatewayUrl,
              `
                mutation ($id: ID!) {
                  pingWebhook(id: $id) {
                    id
                  }
                }
              `,
              { variables: { id }, token },
            )
          ).errors,
        ).toBeUndefined(),
      lastDelivery: async () => {
        const response = await graphql(
          system.gatewayUrl,
          `
            {
              webhooks {
                id
                deliveries(first: 1) {
                  edges {
                    node {
                      status
                      attempts
                      lastResponseCode
                      lastError
                    }
                  }
                }
              }
            }
          `,
          { token },
        );
        return response.data!.webhooks.find((hook: { id: string }) => hook.id === id).deliveries.edges[0]?.node as
          { status: string; attempts: number; lastResponseCode: number | null; lastError: string | null } | undefined;
      },
    };
  }

  function withWebhookSettings(settings: Partial<ReturnType<typeof config>["webhooks"]>) {
    const before = saved();
    setConfig({ ...before, webhooks: { ...before.webhooks, ...settings } });
    return () => setConfig(before);
  }

  it("delivers to a healthy endpoint while another trickles its answer", async () => {
    const restore = withWebhookSettings({ attemptDeadlineMilliseconds: 120_000 });
    const slow = await startEndpoint("trickling");
    const healthy = await startEndpoint("healthy");
    try {
      const slowHook = await webhookTo(slow.url);
      const healthyHook = await webhookTo(healthy.url);
      await slowHook.ping();
      await waitFor(() => slow.received.length === 1);
      await healthyHook.ping();
      await waitFor(() => healthy.received.length === 1);
      // The healthy delivery is recorded while the slow endpoint still holds its attempt open.
      await waitFor(async () => (await healthyHook.lastDelivery())?.status === "DELIVERED");
      expect(slow.openConnections()).toBeGreaterThan(0);
      expect((await slowHook.lastDelivery())!.attempts).toBe(0);
    } finally {
      await slow.close();
      await healthy.close();
      restore();
    }
  });

  it("ends an attempt at its deadline however slowly the endpoint trickles, recording only `timeout`", async () => {
    const restore = withWebhookSettings({ attemptDeadlineMilliseconds: 300 });
    const slow = await startEndpoint("trickling");
    try {
      const hook = await webhookTo(slow.url);
      await hook.ping();
      // The endpoint trickles forever: only the deadline can end the attempt.
      const delivery = await waitFor(async () => {
        const last = await hook.lastDelivery();
        return last && last.attempts >= 1 ? last : undefined;
      });
      expect(delivery).toMatchObject({ status: "PENDING", lastResponseCode: null, lastError: "timeout" });
    } finally {
      await slow.close();
      restore();
    }
  });

  it("opens the circuit of an endpoint that keeps failing, while others are served", async () => {
    const restore = withWebhookSettings({ circuitFailures: 2, circuitOpenMilliseconds: 600_000 });
    const failing = await startEndpoint("failing");
    const healthy = await startEndpoint("healthy");
    try {
      const failingHook = await webhookTo(failing.url);
      const healthyHook = await webhookTo(healthy.url);
      await failingHook.ping();
      await waitFor(() => failing.received.length >= 2);
      // Retries are 100 ms apart in tests: without the circuit the failing endpoint would be tried again meanwhile.
      for (let i = 1; i <= 6; i++) {
        await healthyHook.ping();
        await waitFor(() => healthy.received.length === i);
      }
      expect(failing.received).toHaveLength(2);
      expect(await failingHook.lastDelivery()).toMatchObject({ status: "PENDING", attempts: 2, lastResponseCode: 500, lastError: "HTTP 500" });
    } finally {
      await failing.close();
      await healthy.close();
      restore();
    }
  });

  it("records a coarse cause for an endpoint that cannot be reached, never the socket error", async () => {
    const gone = await startEndpoint("healthy");
    await gone.close();
    const hook = await webhookTo(gone.url);
    await hook.ping();
    const delivery = await waitFor(async () => {
      const last = await hook.lastDelivery();
      return last && last.attempts >= 1 ? last : undefined;
    });
    expect(delivery.lastError).toBe("could not connect");
  });

  describe("targets that embed a private IPv4 address in IPv6 (issue #12, class 4)", () => {
    const embedded = [
      "https://[::ffff:127.0.0.1]/x",
      "https://[::ffff:7f00:1]/x",
      "https://[::ffff:10.0.0.1]/x",
      "https://[::127.0.0.1]/x",
      "https://[::7f00:1]/x",
      "https://[64:ff9b::7f00:1]/x",
      "https://[64:ff9b::a9fe:a9fe]/x",
      "https://[2002:7f00:1::1]/x",
      "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x",
      "https://[fe80::1]/x",
      "https://[fd00::1]/x",
      "https://100.64.0.1/x",
      "https://0.0.0.0/x",
    ];

    it("refuses them at registration", async () => {
      const restore = withWebhookSettings({ allowPrivateTargets: false });
      try {
        const venue = await seedVenue(system.dataSources.venues);
        const token = tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] });
        for (const url of embedded) {
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
              token,
            },
          );
          expect([url, errorCodes(response)]).toEqual([url, ["BAD_USER_INPUT"]]);
        }
      } finally {
        restore();
      }
    });

    it("never dials one registered earlier (an IPv6 literal skips DNS), recording `refused target`", async () => {
      const receiver = await startEndpoint("healthy");
      // Registered while private targets were allowed (as in development), delivered after the rule tightened.
      const hook = await webhookTo(`http://[::ffff:127.0.0.1]:${receiver.port}/hook`);
      const restore = withWebhookSettings({ allowPrivateTargets: false });
      try {
        await hook.ping();
        const delivery = await waitFor(async () => {
          const last = await hook.lastDelivery();
          return last && last.attempts >= 1 ? last : undefined;
        });
        expect(delivery).toMatchObject({ lastError: "refused target", lastResponseCode: null });
        expect(receiver.received).toHaveLength(0);
      } finally {
        restore();
        await receiver.close();
      }
    });
  });
});
