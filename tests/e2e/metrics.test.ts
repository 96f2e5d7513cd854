// Prometheus metrics on every service: per operation and client, errors by code, subgraph fetch latency, SQL,
// database pools, outbox backlog, webhook backlog, upload bytes — behind the subgraph secret or on METRICS_PORT, never public.
import { randomUUID } from "node:crypto";
import { Role, signToken } from "../../lib/auth";
import { config } from "../../lib/config";
import { metricsListenerPort } from "../../lib/metrics";
import { SUBGRAPH_SECRET_HEADER } from "../../lib/subgraph-secret";
import { benchMetricsFromPrometheus } from "../../scripts/bench-metrics";
import { currentCompetition } from "../kit/factories";
import { graphql } from "../kit/http";
import { startSystem, TestSystem } from "../kit/system";

/** The value of one sample, by metric name and labels (all given labels must match). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe("Prometheus metrics", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({ env: { METRICS_PORT: "0" } });
  });
  afterAll(() => system.stop());

  it("are not served to the public: /metrics on a service's port needs the subgraph secret", async () => {
    for (const url of [system.gatewayUrl, system.urls.venues]) {
      const refused = await fetch(new URL("/metrics", url));
      expect(refused.status).not.toBe(200);
      expect(await refused.text()).not.toContain("image_china_");
      const wrong = await fetch(new URL("/metrics", url), { headers: { [SUBGRAPH_SECRET_HEADER]: "x".repeat(40) } });
      expect(wrong.status).not.toBe(200);
      const allowed = await fetch(new URL("/metrics", url), { headers: { [SUBGRAPH_SECRET_HEADER]: config().subgraphSecret! } });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get("content-type")).toContain("text/plain");
    }
  });

  it("count operations per name and client, errors by code, subgraph fetches, SQL, pools, event feeds and webhook backlogs", async () => {
    const clientId = `metrics-client-${randomUUID().slice(0, 8)}`;
    await currentCompetition(system.dataSources.entries);
    const signed = signToken({ sub: "metrics-test", role: Role.ORGANIZER, cid: clientId }).token;
    for (let round = 0; round < 3; round += 1) {
      const response = await graphql(
        system.gatewayUrl,
        `
          query MetricsThemes {
            competition {
              themes {
                code
              }
            }
          }
        `,
        { token: signed },
      );
      expect(response.errors).toBeUndefined();
    }
    const refused = await graphql(
      system.gatewayUrl,
      `
        query MetricsBroken {
          noSuchField
        }
      `,
    );
    expect(refused.errors?.length).toBeGreaterThan(0);

    // The separate listener (METRICS_PORT) serves the same registry without any secret: it is not the public port.
    const port = metricsListenerPort();
    expect(port).toBeDefined();
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

    expect(sample(text, "image_china_graphql_operations_total", { service: "gateway", operation: "MetricsThemes", client: clientId })).toBe(3);
    expect(sample(text, "image_china_graphql_operation_duration_seconds_count", { service: "gateway", operation: "MetricsThemes", client: clientId })).toBe(3);
    expect(sample(text, "image_china_graphql_errors_total", { service: "gateway", code: "GRAPHQL_VALIDATION_FAILED" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "image_china_subgraph_fetch_duration_seconds_count", { outcome: "ok" })).toBeGreaterThanOrEqual(3);
    expect(sample(text, "image_china_sql_statements_total")).toBeGreaterThan(0);
    for (const service of ["venues", "entries", "judging", "exhibitions"]) {
      expect({ service, idle: sample(text, "image_china_database_pool_connections", { service, state: "idle" }) !== undefined }).toEqual({
        service,
        idle: true,
      });
    }
    for (const [consumer, producer] of [
      ["venues", "entries"],
      ["exhibitions", "entries"],
      ["entries", "exhibitions"],
      ["judging", "entries"],
    ]) {
      const labels = { consumer, producer };
      expect({ ...labels, backlog: sample(text, "image_china_event_backlog_events", labels) }).toEqual({ ...labels, backlog: expect.any(Number) });
      expect({ ...labels, lag: sample(text, "image_china_event_lag_seconds", labels) }).toEqual({ ...labels, lag: expect.any(Number) });
    }
    expect(sample(text, "image_china_webhook_backlog_deliveries", { measure: "pending" })).toEqual(expect.any(Number));
    expect(text).toContain("image_china_upload_bytes_total");
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("a consumer's backlog, lag and failures follow an event it cannot handle yet", async () => {
    // The venues subgraph cannot queue partner events for now: the exhibitions feed backs up behind the first one.
    const venues = system.dataSources.venues;
    await venues.query(`CREATE FUNCTION venues.refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`);
    await venues.query(`CREATE TRIGGER refuse_event BEFORE INSERT ON venues.partner_event FOR EACH ROW EXECUTE FUNCTION venues.refuse_event()`);
    const labels = { consumer: "venues", producer: "exhibitions" };
    const scrape = async () => await (await fetch(`http://127.0.0.1:${metricsListenerPort()}/metrics`)).text();
    try {
      await system.dataSources.exhibitions.query(
        `INSERT INTO exhibitions.outbox (type, organization_ids, payload, occurred_at) VALUES ('exhibition.published', '{}', '{"exhibitionId":"x","slug":"x","works":0}', now() - interval '90 seconds')`,
      );
      let text = await scrape();
      for (let attempt = 0; attempt < 100 && !((sample(text, "image_china_event_failures", labels) ?? 0) >= 1); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        text = await scrape();
      }
      expect(sample(text, "image_china_event_failures", labels)).toBeGreaterThanOrEqual(1);
      expect(sample(text, "image_china_event_backlog_events", labels)).toBeGreaterThanOrEqual(1);
      expect(sample(text, "image_china_event_lag_seconds", labels)).toBeGreaterThanOrEqual(90);
    } finally {
      await venues.query(`DROP TRIGGER refuse_event ON venues.partner_event`);
      await venues.query(`DROP FUNCTION venues.refuse_event()`);
    }
    await system.settleEvents();
    expect(sample(await scrape(), "image_china_event_backlog_events", labels)).toBe(0);
  });

  it("the benchmark reads its counters from the same text", async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsListenerPort()}/metrics`)).text();
    const bench = benchMetricsFromPrometheus(text);
    expect(bench.graphqlRequests).toBeGreaterThan(0);
    expect(bench.sqlStatements).toBeGreaterThan(0);
    expect(bench.cpuUserMicros).toBeGreaterThan(0);
    expect(bench.rssBytes).toBeGreaterThan(0);
  });
});
