// The transactional outbox: an event is written in the same transaction as the change that causes it, so no event
// is lost when the process dies and none exists for a change that rolled back. Committed events get a feed position
// (stampPositions) in the order they became visible, and the producer's feed serves them from there.
import type { EntityManager } from "typeorm";
import type { SubgraphName } from "../config";
import { currentTraceContext } from "../telemetry";
import type { EventType, FeedEvent, NewEvent } from "./types";

/** The channel a producer's feed listens on, so a long poll answers as soon as an event commits. */
export const outboxChannel = (schema: SubgraphName) => `${schema}_outbox`;

/** Records an event inside the caller's transaction (its NOTIFY is delivered only if the transaction commits). */
export async function recordEvent<T extends EventType>(manager: EntityManager, schema: SubgraphName, event: NewEvent<T>): Promise<void> {
  const traceContext = currentTraceContext();
  await manager.query(`INSERT INTO ${schema}.outbox (type, organization_ids, payload, trace_context) VALUES ($1, $2::uuid[], $3, $4)`, [
    event.type,
    event.organizationIds,
    JSON.stringify(event.payload),
    traceContext === null ? null : JSON.stringify(traceContext),
  ]);
  await manager.query(`SELECT pg_notify($1, '')`, [outboxChannel(schema)]);
}

/**
 * Gives every committed event without a position the next positions, in insertion order. One stamper at a time
 * (a transaction-scoped advisory lock), and only committed rows are visible to it, so positions grow in the order
 * events became visible: a reader that has seen position n never later finds an event below n.
 */
export async function stampPositions(manager: EntityManager, schema: SubgraphName): Promise<void> {
  await manager.transaction(async (transaction) => {
    await transaction.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${schema}.outbox.position`]);
    await transaction.query(
      `UPDATE ${schema}.outbox outbox SET position = numbered.position
         FROM (SELECT id, (SELECT COALESCE(max(position), 0) FROM ${schema}.outbox) + row_number() OVER (ORDER BY sequence) AS position
                 FROM ${schema}.outbox WHERE position IS NULL) numbered
        WHERE outbox.id = numbered.id`,
    );
  });
}

/** Up to `limit` events after `after`, of the given types (all when none are named), and the position read up to. */
export async function readFeed(
  manager: EntityManager,
  schema: SubgraphName,
  after: number,
  limit: number,
  types: readonly string[],
): Promise<{ events: FeedEvent[]; position: number; head: number }> {
  const rows: {
    id: string;
    position: string;
    type: EventType;
    organization_ids: string[];
    payload: never;
    occurred_at: Date;
    trace_context: Record<string, string> | null;
  }[] = await manager.query(
    `SELECT id, position, type, organization_ids, payload, occurred_at, trace_context FROM ${schema}.outbox
        WHERE position > $1 ORDER BY position LIMIT $2`,
    [after, limit],
  );
  const wanted = new Set(types);
  const events = rows
    .filter((row) => wanted.size === 0 || wanted.has(row.type))
    .map((row) => ({
      id: row.id,
      producer: schema,
      position: Number(row.position),
      type: row.type,
      organizationIds: row.organization_ids,
      payload: row.payload,
      occurredAt: row.occurred_at.toISOString(),
      traceContext: row.trace_context,
    }));
  return { events, position: rows.length ? Number(rows[rows.length - 1].position) : after, head: await feedHead(manager, schema) };
}

/** The highest position given so far (0 for an empty feed). */
export async function feedHead(manager: EntityManager, schema: SubgraphName): Promise<number> {
  const [row] = await manager.query(`SELECT COALESCE(max(position), 0) AS head FROM ${schema}.outbox`);
  return Number(row.head);
}

/** Whether committed events are waiting for a position. */
export async function hasUnstamped(manager: EntityManager, schema: SubgraphName): Promise<boolean> {
  const [row] = await manager.query(`SELECT EXISTS (SELECT 1 FROM ${schema}.outbox WHERE position IS NULL) AS pending`);
  return Boolean(row.pending);
}

/** SQL for a producer's migration: positions, insertion order, and the columns of the old push dispatcher dropped. */
export function outboxFeedSql(schema: SubgraphName): { up: string[]; down: string[] } {
  return {
    up: [
      `ALTER TABLE ${schema}.outbox ADD COLUMN sequence bigserial`,
      `ALTER TABLE ${schema}.outbox ADD COLUMN position bigint`,
      // Events recorded before feeds existed keep their order and are served from position 1.
      `UPDATE ${schema}.outbox outbox SET position = numbered.position
         FROM (SELECT id, row_number() OVER (ORDER BY occurred_at, id) AS position FROM ${schema}.outbox) numbered WHERE outbox.id = numbered.id`,
      `CREATE UNIQUE INDEX outbox_position_unique ON ${schema}.outbox (position)`,
      `CREATE INDEX outbox_unstamped_idx ON ${schema}.outbox (sequence) WHERE position IS NULL`,
      `DROP INDEX ${schema}.outbox_due_idx`,
      `ALTER TABLE ${schema}.outbox DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN last_error, DROP COLUMN dispatched_at`,
    ],
    down: [
      `ALTER TABLE ${schema}.outbox ADD COLUMN attempts int NOT NULL DEFAULT 0, ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
         ADD COLUMN last_error text, ADD COLUMN dispatched_at timestamptz`,
      `UPDATE ${schema}.outbox SET dispatched_at = now()`,
      `CREATE INDEX outbox_due_idx ON ${schema}.outbox (next_attempt_at) WHERE dispatched_at IS NULL`,
      `DROP INDEX ${schema}.outbox_unstamped_idx`,
      `DROP INDEX ${schema}.outbox_position_unique`,
      `ALTER TABLE ${schema}.outbox DROP COLUMN position, DROP COLUMN sequence`,
    ],
  };
}

/** SQL for a consumer's migration: how far it has handled each producer's feed. */
export function eventCursorSql(schema: SubgraphName): { up: string[]; down: string[] } {
  return {
    up: [
      `CREATE TABLE ${schema}.event_cursor (
        producer text PRIMARY KEY,
        position bigint NOT NULL DEFAULT 0,
        failures int NOT NULL DEFAULT 0,
        last_error text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
    down: [`DROP TABLE ${schema}.event_cursor`],
  };
}

/** SQL of the first outbox migrations (kept as they ran; outboxFeedSql turns the table into a feed). */
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
