// A producer's event feed: GET /internal/events?after=<position>&limit=<n>&wait=<ms>&types=<a,b> serves the outbox
// in position order to other services (service tokens only, behind the subgraph secret). With `wait` the request is
// a long poll: it answers as soon as an event commits (LISTEN/NOTIFY), or empty when the wait is over.
import type { Request, RequestHandler, Response } from "express";
import { Client } from "pg";
import type { DataSource } from "typeorm";
import { verifyToken } from "../auth";
import type { SubgraphName } from "../config";
import { ErrorCode } from "../errors";
import { logger } from "../logger";
import { feedHead, hasUnstamped, outboxChannel, readFeed, stampPositions } from "./outbox";

export const FEED_PATH = "/internal/events";
const MAX_LIMIT = 500;
const MAX_WAIT_MS = 30_000;
/** Notifications can be missed (a reconnect): waiting feeds look again at least this often. */
const SAFETY_POLL_MS = 1000;

export interface EventFeed {
  route: RequestHandler;
  headRoute: RequestHandler;
  stop(): Promise<void>;
}

function refuse(response: Response, status: number, code: ErrorCode, message: string): void {
  response.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** Only other services read feeds: a service token (subject "service:<name>"). */
function isServiceCaller(request: Request): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ""));
  if (!match) return false;
  try {
    return verifyToken(match[1]).subject.startsWith("service:");
  } catch {
    return false;
  }
}

function integerParameter(value: unknown, fallback: number, min: number, max: number): number | undefined {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) return undefined;
  return number;
}

export function startEventFeed(dataSource: DataSource, schema: SubgraphName, databaseUrl: string): EventFeed {
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };
  let listener: Client | undefined;
  let stopped = false;
  const listen = async () => {
    const client = new Client({ connectionString: databaseUrl });
    client.on("notification", wakeAll);
    client.on("error", (error) => {
      logger.warn("event feed listener lost its connection; reconnecting", { schema, error });
      listener = undefined;
      if (!stopped) setTimeout(() => listen().catch(() => undefined), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${outboxChannel(schema)}`);
    if (stopped) await client.end();
    else listener = client;
  };
  listen().catch((error) => logger.warn("event feed listener could not start; feeds fall back to polling", { schema, error }));

  const read = async (after: number, limit: number, types: string[]) => {
    if (await hasUnstamped(dataSource.manager, schema)) await stampPositions(dataSource.manager, schema);
    return readFeed(dataSource.manager, schema, after, limit, types);
  };

  const route: RequestHandler = async (request, response, next) => {
    try {
      if (!isServiceCaller(request)) return refuse(response, 403, ErrorCode.FORBIDDEN, "Event feeds are for the API's own services.");
      if (stopped) return refuse(response, 503, ErrorCode.SERVICE_UNAVAILABLE, "This copy of the service is stopping; read the feed from another.");
      const after = integerParameter(request.query.after, 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = integerParameter(request.query.limit, 100, 1, MAX_LIMIT);
      const wait = integerParameter(request.query.wait, 0, 0, MAX_WAIT_MS);
      if (after === undefined || limit === undefined || wait === undefined) {
        return refuse(response, 400, ErrorCode.BAD_USER_INPUT, `after must be a position ≥ 0, limit 1..${MAX_LIMIT}, wait 0..${MAX_WAIT_MS} ms.`);
      }
      const types = String(request.query.types ?? "")
        .split(",")
        .filter(Boolean);
      const deadline = Date.now() + wait;
      let closed = false;
      request.on("close", () => (closed = true));
      for (;;) {
        const page = await read(after, limit, types);
        if (page.position > after || Date.now() >= deadline || closed || stopped) return response.json(page);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, Math.min(SAFETY_POLL_MS, Math.max(0, deadline - Date.now())));
          waiters.add(wake);
        });
        // The caller left, or the feed is stopping (its database may be closing): answer with what was read, read no more.
        if (closed || stopped) return response.json(page);
      }
    } catch (error) {
      // Stopping: the database may already be closing; the consumer retries elsewhere or later.
      if (stopped) return void response.status(503).end();
      next(error);
    }
  };

  const headRoute: RequestHandler = async (request, response, next) => {
    try {
      if (!isServiceCaller(request)) return refuse(response, 403, ErrorCode.FORBIDDEN, "Event feeds are for the API's own services.");
      if (await hasUnstamped(dataSource.manager, schema)) await stampPositions(dataSource.manager, schema);
      response.json({ position: await feedHead(dataSource.manager, schema) });
    } catch (error) {
      next(error);
    }
  };

  return {
    route,
    headRoute,
    stop: async () => {
      stopped = true;
      wakeAll();
      await listener?.end().catch(() => undefined);
    },
  };
}
