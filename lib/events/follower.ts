// A consumer's side of the events: it follows the feed of every producer of the types it handles, in order, and
// handles each event once per cursor. A subgraph handles an event and moves its cursor in one transaction, so a
// crash never skips an event and never applies one twice; several copies of a service share the cursor row (the
// row lock serialises them). A gateway keeps its cursor in memory and starts at the feeds' heads (its cache starts
// empty). A failing handler or an unreachable feed is retried with the one backoff policy, in order: later events of
// that feed wait (grants are replace-sets, so order matters), other feeds go on.
import type { DataSource, EntityManager } from "typeorm";
import { serviceToken } from "../auth";
import { config, SubgraphName } from "../config";
import { logger } from "../logger";
import { metrics } from "../metrics";
import { retryDelayMs } from "../retry";
import { subgraphSecretHeaders } from "../subgraph-secret";
import { storedTraceContext, withSpan } from "../telemetry";
import type { Worker } from "../worker";
import { FEED_PATH } from "./feed";
import { EventType, FeedEvent, producersOf } from "./types";

/** A subgraph's handler runs inside the transaction that moves its cursor; it must not call other services. */
export type EventHandler<T extends EventType = EventType> = (event: FeedEvent<T>, manager: EntityManager) => Promise<void>;
export type EventHandlers = { [T in EventType]?: EventHandler<T> };
/** A gateway's handler (no database). */
export type MemoryEventHandlers = { [T in EventType]?: (event: FeedEvent<T>) => Promise<void> | void };

const LONG_POLL_MS = 20_000;
const PAGE = 100;
const BACKOFF = { baseMs: 250, maxMs: 60_000 };
/** About four seconds of backoff: longer than services take to start beside each other. */
const QUIET_UNREACHABLE_FAILURES = 5;

export interface FollowOptions {
  /** Who follows: the subgraph's name (its schema holds the cursors) or "gateway". */
  consumer: string;
  /** Long-poll wait per request (tests shorten it so a stop is quick). */
  longPollMs?: number;
}

export interface EventFollower extends Worker {
  /** Handles every event already in the feeds, without waiting for new ones; resolves with how many were handled. */
  runOnce(): Promise<number>;
}

const feedUrl = (producer: SubgraphName) => new URL(FEED_PATH, config().subgraphUrls[producer]).toString();

async function fetchPage(consumer: string, producer: SubgraphName, after: number, wait: number, types: EventType[], signal?: AbortSignal) {
  const url = new URL(feedUrl(producer));
  url.search = new URLSearchParams({ after: String(after), limit: String(PAGE), wait: String(wait), types: types.join(",") }).toString();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${serviceToken(consumer)}`, ...subgraphSecretHeaders() },
    signal: AbortSignal.any([AbortSignal.timeout(wait + 15_000), ...(signal ? [signal] : [])]),
  });
  if (!response.ok) throw new Error(`the ${producer} feed answered ${response.status}`);
  return (await response.json()) as { events: FeedEvent[]; position: number; head: number };
}

async function fetchHead(consumer: string, producer: SubgraphName): Promise<number> {
  const response = await fetch(`${feedUrl(producer)}/head`, {
    headers: { authorization: `Bearer ${serviceToken(consumer)}`, ...subgraphSecretHeaders() },
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new Error(`the ${producer} feed answered ${response.status}`);
  return ((await response.json()) as { position: number }).position;
}

/** Where one consumer stands in one producer's feed, and how it moves. */
interface Cursor {
  read(): Promise<number>;
  /** Handles one event and moves the cursor to its position (skips it if another copy already did). */
  handle(event: FeedEvent): Promise<void>;
  /** Moves the cursor past events the consumer does not handle. */
  advance(position: number): Promise<void>;
  failed(error: unknown): Promise<void>;
}

function databaseCursor(dataSource: DataSource, schema: string, producer: SubgraphName, handlers: EventHandlers): Cursor {
  const table = `${schema}.event_cursor`;
  const lock = async (manager: EntityManager): Promise<number> => {
    await manager.query(`INSERT INTO ${table} (producer) VALUES ($1) ON CONFLICT DO NOTHING`, [producer]);
    const [row] = await manager.query(`SELECT position FROM ${table} WHERE producer = $1 FOR UPDATE`, [producer]);
    return Number(row.position);
  };
  return {
    read: async () => {
      const [row] = await dataSource.query(`SELECT position FROM ${table} WHERE producer = $1`, [producer]);
      return row ? Number(row.position) : 0;
    },
    handle: (event) =>
      dataSource.transaction(async (manager) => {
        if ((await lock(manager)) >= event.position) return;
        await (handlers[event.type] as EventHandler)(event, manager);
        await manager.query(`UPDATE ${table} SET position = $2, failures = 0, last_error = NULL, updated_at = now() WHERE producer = $1`, [
          producer,
          event.position,
        ]);
      }),
    advance: (position) =>
      dataSource.transaction(async (manager) => {
        if ((await lock(manager)) >= position) return;
        await manager.query(`UPDATE ${table} SET position = $2, updated_at = now() WHERE producer = $1`, [producer, position]);
      }),
    failed: async (error) => {
      await dataSource
        .query(`UPDATE ${table} SET failures = failures + 1, last_error = $2, updated_at = now() WHERE producer = $1`, [
          producer,
          String((error as Error)?.message ?? error).slice(0, 500),
        ])
        .catch(() => undefined);
    },
  };
}

function memoryCursor(consumer: string, producer: SubgraphName, handlers: MemoryEventHandlers): Cursor {
  let position: number | undefined;
  return {
    read: async () => (position ??= await fetchHead(consumer, producer)),
    handle: async (event) => {
      await handlers[event.type]!(event as never);
      position = event.position;
    },
    advance: async (to) => {
      position = Math.max(position ?? 0, to);
    },
    failed: async () => undefined,
  };
}

/** Follows every feed that carries a type in `handlers`; one loop per producer. */
function follow(options: FollowOptions, types: EventType[], cursorOf: (producer: SubgraphName) => Cursor): EventFollower {
  const controller = new AbortController();
  const producers = producersOf(types);
  const cursors = new Map(producers.map((producer) => [producer, cursorOf(producer)]));
  const longPoll = options.longPollMs ?? LONG_POLL_MS;

  /** One page of one feed: handles it and returns how many events it handled. */
  const pass = async (producer: SubgraphName, wait: number): Promise<number> => {
    const cursor = cursors.get(producer)!;
    const after = await cursor.read();
    const page = await fetchPage(options.consumer, producer, after, wait, types, controller.signal);
    const labels = { consumer: options.consumer, producer };
    metrics.eventBacklog.set(labels, Math.max(0, page.head - after));
    metrics.eventLag.set(labels, page.events.length ? Math.max(0, (Date.now() - Date.parse(page.events[0].occurredAt)) / 1000) : 0);
    for (const event of page.events) {
      await withSpan(`${options.consumer} handles ${event.type}`, { parent: storedTraceContext(event.traceContext)?.parent }, () => cursor.handle(event));
    }
    if (page.position > after) await cursor.advance(page.position);
    metrics.eventBacklog.set(labels, Math.max(0, page.head - page.position));
    metrics.eventFailures.set(labels, 0);
    return page.events.length;
  };

  const loops = producers.map(async (producer) => {
    let failures = 0;
    let caughtUp = false;
    while (!controller.signal.aborted) {
      try {
        // Catch up at once (a fresh start, or after a failure), then wait for new events with a long poll.
        await pass(producer, caughtUp ? longPoll : 0);
        caughtUp = true;
        failures = 0;
      } catch (error) {
        if (controller.signal.aborted) break;
        failures += 1;
        caughtUp = false;
        metrics.eventFailures.set({ consumer: options.consumer, producer }, failures);
        await cursors.get(producer)!.failed(error);
        const delay = retryDelayMs(failures, BACKOFF);
        // A producer that is not listening yet (services starting one after another) is retried quietly at first.
        const unreachable = error instanceof TypeError && error.message === "fetch failed";
        (unreachable && failures <= QUIET_UNREACHABLE_FAILURES ? logger.debug : logger.warn)("event feed: will retry", {
          consumer: options.consumer,
          producer,
          failures,
          retryInMs: delay,
          error,
        });
        // The wait ends early when the follower stops.
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            controller.signal.removeEventListener("abort", done);
            resolve();
          };
          const timer = setTimeout(done, delay);
          controller.signal.addEventListener("abort", done);
        });
      }
    }
  });

  return {
    runOnce: async () => {
      let handled = 0;
      for (const producer of producers) {
        try {
          for (;;) {
            const count = await pass(producer, 0);
            handled += count;
            if (count < PAGE) break;
          }
        } catch (error) {
          // An unreachable feed or a failing handler: the loop retries it; the other feeds go on.
          await cursors.get(producer)!.failed(error);
          logger.warn("event feed: pass failed", { consumer: options.consumer, producer, error });
        }
      }
      return handled;
    },
    stop: async () => {
      controller.abort();
      await Promise.all(loops);
    },
  };
}

/** A subgraph follows the feeds it subscribes to; its cursors live in its own schema (table event_cursor). */
export function followEvents(dataSource: DataSource, consumer: SubgraphName, handlers: EventHandlers, options: Partial<FollowOptions> = {}): EventFollower {
  const types = Object.keys(handlers) as EventType[];
  return follow({ ...options, consumer }, types, (producer) => databaseCursor(dataSource, consumer, producer, handlers));
}

/** A gateway replica follows the feeds in memory, from their current heads. */
export function followEventsInMemory(consumer: string, handlers: MemoryEventHandlers, options: Partial<FollowOptions> = {}): EventFollower {
  const types = Object.keys(handlers) as EventType[];
  return follow({ ...options, consumer }, types, (producer) => memoryCursor(consumer, producer, handlers));
}
