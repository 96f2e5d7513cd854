// One request through the gateway is one trace: the gateway, every subgraph it touched and their SQL, each span
// stamped with the request id; an outbox event's dispatch continues the trace of the request that recorded it.
// Spans are received by an in-process OTLP/HTTP (JSON) receiver, as a collector would receive them.
import { randomUUID } from "node:crypto";
import { trace } from "@opentelemetry/api";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { recordEvent } from "../../lib/events/outbox";
import { REQUEST_ID_HEADER } from "../../lib/request-context";
import { flushTelemetry, REQUEST_ID_ATTRIBUTE, SERVICE_ATTRIBUTE, stopTelemetry, telemetryEnabled, withSpan } from "../../lib/telemetry";
import { seedExhibition, seedTenant } from "../kit/exhibitions-factories";
import { graphql } from "../kit/http";
import { startSystem, TestSystem } from "../kit/system";

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  resource: string;
  attributes: Record<string, unknown>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };

/** A minimal OTLP/HTTP receiver: POST /v1/traces with JSON ExportTraceServiceRequest bodies. */
async function startReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close: () => Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.url === "/v1/traces" && request.headers["content-type"]?.includes("json")) {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: OtlpValue }[] };
            scopeSpans: { spans: (Omit<ReceivedSpan, "attributes" | "resource"> & { attributes: { key: string; value: OtlpValue }[] })[] }[];
          }[];
        };
        for (const resourceSpans of body.resourceSpans) {
          const resource = String(resourceSpans.resource.attributes.find((attribute) => attribute.key === "service.name")?.value.stringValue);
          for (const scope of resourceSpans.scopeSpans) {
            for (const span of scope.spans) {
              const attributes = Object.fromEntries(
                span.attributes.map(({ key, value }) => [key, value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue]),
              );
              spans.push({ ...span, resource, attributes });
            }
          }
        }
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Flushes and waits (bounded) until `done` holds for the received spans. */
async function received(spans: ReceivedSpan[], done: (spans: ReceivedSpan[]) => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !done(spans); attempt += 1) {
    await flushTelemetry();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const isSql = (span: ReceivedSpan) => span.attributes["db.system"] === "postgresql" || span.attributes["db.system.name"] === "postgresql";

describe("OpenTelemetry traces", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let system: TestSystem;

  beforeAll(async () => {
    receiver = await startReceiver();
    system = await startSystem({ subgraphs: ["venues", "entries", "exhibitions"], env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
  });
  afterAll(async () => {
    await system.stop();
    await stopTelemetry();
    await receiver.close();
  });

  it("one request through the gateway yields one trace covering the gateway, each subgraph it touched and their SQL", async () => {
    expect(telemetryEnabled()).toBe(true);
    const tenant = await seedTenant(system, 2);
    const { exhibition } = await seedExhibition(system, { hostVenueIds: [tenant.venue.id], entryIds: tenant.entries.map((entry) => entry.id) });
    const requestId = `trace-${randomUUID()}`;
    const response = await graphql(
      system.gatewayUrl,
      `
        query ExhibitionWorks($slug: String!) {
          exhibition(slug: $slug) {
            title
            works(first: 2) {
              edges {
                node {
                  entry {
                    title
                    venue {
                      code
                    }
                  }
                }
              }
            }
          }
        }
      `,
      { variables: { slug: exhibition.slug }, headers: { [REQUEST_ID_HEADER]: requestId } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.exhibition.works.edges).toHaveLength(2);

    const touched = ["exhibitions", "entries", "venues"];
    const ofRequest = () => receiver.spans.filter((span) => span.attributes[REQUEST_ID_ATTRIBUTE] === requestId);
    await received(receiver.spans, () => touched.every((service) => ofRequest().some((span) => isSql(span) && span.attributes[SERVICE_ATTRIBUTE] === service)));

    const spans = ofRequest();
    // One trace, and every span of it carries the request id.
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    const [traceId] = spans.map((span) => span.traceId);
    expect(receiver.spans.filter((span) => span.traceId === traceId).every((span) => span.attributes[REQUEST_ID_ATTRIBUTE] === requestId)).toBe(true);

    // The gateway's request (its own server span and Apollo's planning and fetch spans) is the root.
    const gatewayServer = spans.find((span) => span.attributes[SERVICE_ATTRIBUTE] === "gateway" && span.name === "POST /graphql");
    expect(gatewayServer).toBeDefined();
    expect(gatewayServer!.parentSpanId || undefined).toBeUndefined();
    expect(spans.map((span) => span.name)).toEqual(expect.arrayContaining(["gateway.request", "gateway.plan", "gateway.fetch"]));
    const byId = new Map(spans.map((span) => [span.spanId, span]));

    for (const service of touched) {
      // Each subgraph's server span is a child of a gateway span: the traceparent crossed the hop.
      const server = spans.find((span) => span.attributes[SERVICE_ATTRIBUTE] === service && span.name === "POST /graphql");
      expect({ service, server: Boolean(server) }).toEqual({ service, server: true });
      expect(byId.get(server!.parentSpanId!)?.attributes[SERVICE_ATTRIBUTE]).toBe("gateway");
      // And its SQL hangs below it.
      const sql = spans.filter((span) => isSql(span) && span.attributes[SERVICE_ATTRIBUTE] === service);
      expect(sql.length).toBeGreaterThan(0);
      for (const statement of sql) {
        let ancestor = byId.get(statement.parentSpanId!);
        while (ancestor && ancestor !== server) ancestor = byId.get(ancestor.parentSpanId!);
        expect(ancestor).toBe(server);
      }
    }
    // The judging subgraph was not asked: no span of it in this trace.
    expect(spans.some((span) => span.attributes[SERVICE_ATTRIBUTE] === "judging")).toBe(false);
  });

  it("an outbox event carries its trace context, and its handling by a subscriber (venues, for webhooks) joins that trace", async () => {
    const tenant = await seedTenant(system, 1);
    let traceId = "";
    await withSpan("test: record an event", {}, async () => {
      traceId = trace.getActiveSpan()!.spanContext().traceId;
      await system.dataSources.entries.transaction((manager) =>
        recordEvent(manager, "entries", {
          type: "entry.submitted",
          organizationIds: [tenant.organizationId],
          payload: { entryId: tenant.entries[0].id, venueId: tenant.venue.id, status: "SUBMITTED", theme: "NATURE", kind: "PHOTO_SET", title: "traced" },
        }),
      );
    });
    const [row] = await system.dataSources.entries.query(`SELECT trace_context FROM entries.outbox WHERE payload->>'entryId' = $1`, [tenant.entries[0].id]);
    expect(row.trace_context.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    const ofTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    await received(receiver.spans, () => ofTrace().some((span) => span.name === "venues handles entry.submitted"));
    // The handler's SQL (queuing the webhook deliveries) is part of the same trace.
    const handling = ofTrace().find((span) => span.name === "venues handles entry.submitted")!;
    expect(handling.parentSpanId).toBeDefined();
  });
});
