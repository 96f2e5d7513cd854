// Starts one subgraph: its database schema and migrations, its GraphQL schema, and the shared HTTP bootstrap.
import type { Express, RequestHandler } from "express";
import type { GraphQLSchema } from "graphql";
import type { DataSource, EntitySchema, MixedList } from "typeorm";
import { config, SubgraphName } from "./config";
import { RequestContext, requestContextFrom } from "./context";
import { databaseIsReady, openDatabase } from "./database";
import { logger } from "./logger";
import { RunningService, startService, stopOnSignals } from "./server";
import { followRevokedClients } from "./revocation-client";
import { subgraphAdmission } from "./subgraph-admission";
import { abandonAtCallerDeadline } from "./request-deadline";
import { closeCanceller } from "./statement-cancellation";
import type { Worker } from "./worker";
import { watchDatabase } from "./metrics";
import { EventFeed, FEED_PATH, startEventFeed } from "./events/feed";
import { EventFollower, EventHandlers, followEvents } from "./events/follower";

export interface SubgraphDefinition<TContext extends RequestContext> {
  name: SubgraphName;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: Function[];
  /** Builds the GraphQL schema (called once per process). */
  buildSchema: () => Promise<GraphQLSchema>;
  /** Adds the subgraph's loaders and services to the request context. */
  createContext: (request: RequestContext, dataSource: DataSource) => TContext;
  /** Middleware before the GraphQL handler (the entries subgraph's multipart uploads). */
  before?: () => RequestHandler[];
  /** Background workers started with the service and stopped before it closes its database (outbox, deliveries). */
  background?: (dataSource: DataSource) => Worker[];
  /** Extra HTTP routes (the entries subgraph's /media and /exports). */
  routes?: (app: Express, dataSource: DataSource) => void;
  /** The subgraph records events in its outbox and serves them as a feed (lib/events). */
  publishesEvents?: boolean;
  /** The events the subgraph handles, from whichever subgraph publishes them (subgraphs/<name>/<name>.events.ts). */
  subscriptions?: EventHandlers;
}

export interface RunningSubgraph extends RunningService {
  dataSource: DataSource;
  /** Handles the events already published to the feeds it follows (tests: settle without waiting for the long polls). */
  handlePendingEvents(): Promise<number>;
}

const schemas = new Map<string, Promise<GraphQLSchema>>();

/** The subgraph's GraphQL schema, built once per process. */
export function subgraphSchema(definition: SubgraphDefinition<RequestContext>): Promise<GraphQLSchema> {
  let schema = schemas.get(definition.name);
  if (!schema) {
    schema = definition.buildSchema();
    schemas.set(definition.name, schema);
  }
  return schema;
}

export async function startSubgraph<TContext extends RequestContext>(
  definition: SubgraphDefinition<TContext>,
  options: { port: number; databaseUrl: string },
): Promise<RunningSubgraph> {
  const dataSource = await openDatabase({
    schema: definition.name,
    url: options.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
  });
  const schema = await subgraphSchema(definition as unknown as SubgraphDefinition<RequestContext>);
  const feed: EventFeed | undefined = definition.publishesEvents ? startEventFeed(dataSource, definition.name, options.databaseUrl) : undefined;
  const service = await startService<TContext>({
    name: definition.name,
    port: options.port,
    apollo: { schema },
    context: async (req) => definition.createContext(requestContextFrom(req), dataSource),
    ready: () => databaseIsReady(dataSource),
    admission: [abandonAtCallerDeadline, ...subgraphAdmission()],
    before: definition.before?.(),
    routes: (app) => {
      if (feed) {
        app.get(FEED_PATH, feed.route);
        app.get(`${FEED_PATH}/head`, feed.headRoute);
      }
      definition.routes?.(app, dataSource);
    },
    requireSubgraphSecret: true,
    onStopping: async () => {
      await follower?.stop();
      await revocations.stop();
      await feed?.stop();
    },
    onStop: async () => {
      for (const worker of workers) await worker.stop();
      unwatchDatabase();
      await closeCanceller(dataSource);
      await dataSource.destroy();
    },
  });
  const workers = definition.background?.(dataSource) ?? [];
  const follower: EventFollower | undefined = definition.subscriptions ? followEvents(dataSource, definition.name, definition.subscriptions) : undefined;
  const revocations = followRevokedClients(definition.name);
  const unwatchDatabase = watchDatabase(definition.name, dataSource);
  return { ...service, dataSource, handlePendingEvents: async () => (await follower?.runOnce()) ?? 0 };
}

/** `node dist/subgraphs/<name>` : runs one subgraph alone against DATABASE_URL, as it is deployed. */
export function runSubgraphStandalone<TContext extends RequestContext>(definition: SubgraphDefinition<TContext>): void {
  const settings = config();
  if (!settings.databaseUrl) {
    process.stderr.write(
      `Invalid configuration: DATABASE_URL must be set to run the ${definition.name} subgraph alone (npm start runs everything on an embedded database).\n`,
    );
    process.exit(1);
  }
  startSubgraph(definition, { port: settings.subgraphPorts[definition.name], databaseUrl: settings.databaseUrl })
    .then((service) => stopOnSignals(service.stop))
    .catch((error) => {
      logger.error("could not start", { service: definition.name, error });
      process.exit(1);
    });
}
