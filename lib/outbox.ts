// The transactional outbox: an event is written in the same transaction as the change that causes it,
// and a dispatcher in the same service forwards it afterwards, retrying until it is accepted. So no event
// is lost when the process dies, and none is sent for a change that rolled back.
import { DataSource, EntityManager } from "typeorm";
import { logger } from "./logger";
import { callSubgraph } from "./internal-client";
import { startWorker, Worker } from "./worker";
import { currentTraceContext, storedTraceContext, withSpan } from "./telemetry";

export type PartnerEventType = "entry.submitted" | "entry.withdrawn" | "entry.disqualified" | "awards.published" | "exhibition.published";

export interface OutboxEvent {
  type: PartnerEventType;
  /** Organisations the event is about (their webhooks receive it). */
  organizationIds: string[];
  payload: Record<string, unknown>;
}

export interface StoredOutboxEvent extends OutboxEvent {
  id: string;
  occurredAt: Date;
  /** traceparent/tracestate of the request that recorded it (null when untraced). */
  traceContext?: Record<string, string> | null;
}

/** SQL for a subgraph's migration: its outbox table. */
export function outboxTableSql(schema: string): string[] {
  return [
    `CREATE TABLE ${schema}.outbox (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      type text NOT NULL,
      organization_ids uuid[] NOT NULL DEFAULT '{}',
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      dispatched_at timestamptz
    )`,
    `CREATE INDEX outbox_due_idx ON ${schema}.outbox (next_attempt_at) WHERE dispatched_at IS NULL`,
  ];
}

/** Records an event inside the caller's transaction. */
export async function recordEvent(manager: EntityManager, schema: string, event: OutboxEvent): Promise<void> {
  // The trace context travels with the event (column added by each outbox's trace-context migration).
  const traceContext = currentTraceContext();
  await manager.query(`INSERT INTO ${schema}.outbox (type, organization_ids, payload, trace_context) VALUES ($1, $2::uuid[], $3, $4)`, [
    event.type,
    event.organizationIds,
    JSON.stringify(event.payload),
    traceContext === null ? null : JSON.stringify(traceContext),
  ]);
}

/**
 * Forwards due events to `handle`, oldest first. Each event is leased for a minute while it is handled,
 * so two copies of a service never send it at the same time; failures are retried with backoff.
 */
export function startOutboxDispatcher(
  dataSource: DataSource,
  schema: string,
  handle: (events: StoredOutboxEvent[]) => Promise<void>,
  pollMilliseconds = 1000,
): Worker {
  const runOnce = async (): Promise<number> => {
    const rows: { id: string; type: PartnerEventType; organization_ids: string[]; payload: Record<string, unknown>; occurred_at: Date; attempts: number; trace_context: Record<string, string> | null }[] =
      await dataSource.query(
        `UPDATE ${schema}.outbox SET next_attempt_at = now() + interval '60 seconds'
          WHERE id IN (SELECT id FROM ${schema}.outbox WHERE dispatched_at IS NULL AND next_attempt_at <= now()
                        ORDER BY occurred_at LIMIT 100 FOR UPDATE SKIP LOCKED)
          RETURNING id, type, organization_ids, payload, occurred_at, attempts, trace_context`,
      ).then((result: unknown[]) => (Array.isArray(result[0]) ? result[0] : result) as never);
    if (rows.length === 0) return 0;
    rows.sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime());
    const ids = rows.map((row) => row.id);
    try {
      // The dispatch continues the trace of the (first) request that recorded the batch, linked to every other one.
      const traced = rows.map((row) => storedTraceContext(row.trace_context)).filter((context) => context !== undefined);
      await withSpan(`${schema} outbox dispatch`, { parent: traced[0]?.parent, links: traced.map((context) => context.link), attributes: { "image_china.outbox.events": rows.length } }, () =>
        handle(rows.map((row) => ({ id: row.id, type: row.type, organizationIds: row.organization_ids, payload: row.payload, occurredAt: row.occurred_at, traceContext: row.trace_context }))),
      );
      await dataSource.query(`UPDATE ${schema}.outbox SET dispatched_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])`, [ids]);
    } catch (error) {
      logger.warn("outbox dispatch failed; will retry", { schema, events: ids.length, error });
      await dataSource.query(
        `UPDATE ${schema}.outbox SET attempts = attempts + 1, last_error = $2,
           next_attempt_at = now() + make_interval(secs => least(600, 2 ^ least(attempts, 10)))
          WHERE id = ANY($1::uuid[])`,
        [ids, String((error as Error)?.message ?? error).slice(0, 500)],
      );
    }
    return rows.length;
  };
  return startWorker(`${schema} outbox`, runOnce, () => pollMilliseconds);
}

/** Hands events to the venues subgraph, which queues the partners' webhook deliveries (idempotent by event id). */
export async function forwardToPartners(caller: string, events: StoredOutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await callSubgraph(caller, "venues", `mutation($events: [PartnerEventInput!]!) { recordPartnerEvents(events: $events) }`, {
    events: events.map((event) => ({ id: event.id, type: event.type, occurredAt: event.occurredAt, organizationIds: event.organizationIds, payload: event.payload })),
  });
}
