// The gateway's shared response cache for callers without a token, and the HTTP caching headers of every answer.
//   - What: queries whose every field has a cache hint (lib/cache-hints.ts, declared in the subgraphs), answered without
//     errors to a request that carries no Authorization header at all: any token, even an invalid one, means the answer
//     is neither read from nor written to the cache. The key covers the document, the operation name, the variables, the
//     caller's languages (Accept-Language; a `locale` argument is in the document or the variables) and the generation
//     of every type the operation may show (cache-policy.ts).
//   - Where: this gateway's memory, or Redis when configured, shared by every gateway (response-cache.store.ts).
//   - Eviction: evictResponseCacheTypes(typenames), called when what an answer shows changes; max-age bounds the rest.
//   - HTTP: an anonymous cacheable answer says `public, max-age=N` with Vary: Accept-Language, Authorization, and over GET carries an
//     ETag of its data (the extensions carry the caller's own rate budget), so a CDN can keep it and revalidate with
//     If-None-Match (express answers 304); everything else says `private, no-store` (a token) or `no-store`.
// Built on @apollo/server-plugin-response-cache (key, storage, Age header); the policy comes from the document instead
// of from resolvers, so no subgraph wraps its resolvers for cache hints and the gateway does not read subgraph headers.
import { createHash } from "node:crypto";
import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import responseCachePlugin from "@apollo/server-plugin-response-cache";
import type { GraphQLSchema } from "graphql";
import { Config, config } from "../../lib/config";
import { parseAcceptLanguage } from "../../lib/context";
import type { GatewayContext } from "../context";
import { CacheHints, OperationCacheFacts, operationCacheFacts, readCacheHints } from "./cache-policy";
import { MemoryResponseCacheStore, RedisResponseCacheStore, ResponseCacheStore } from "./response-cache.store";

type RequestContext = GraphQLRequestContext<GatewayContext>;

/** What one request learned: the operation's facts, and the key data when the request may use the cache. */
interface RequestCacheState {
  facts: OperationCacheFacts;
  anonymous: boolean;
  /** Languages and type generations, part of the key; undefined: this request neither reads nor writes. */
  keyData?: { languages: string; generations: number[] };
}

export class ResponseCache {
  private schema: GraphQLSchema | undefined;
  private hints: CacheHints | undefined;
  private readonly states = new WeakMap<object, RequestCacheState>();

  constructor(private readonly store: ResponseCacheStore | undefined) {}

  /** The API schema and the supergraph it came from (the hints live in the supergraph). */
  setSchema(apiSchema: GraphQLSchema, supergraphSdl: string): void {
    this.hints = readCacheHints(supergraphSdl);
    this.schema = apiSchema;
  }

  /** Every answer that touched one of these types is gone from this cache (in Redis: for every gateway). */
  evict(typenames: readonly string[]): Promise<void> {
    return this.store?.advance(typenames) ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    active.delete(this);
    await this.store?.close();
  }

  plugins(): ApolloServerPlugin<GatewayContext>[] {
    const policy: ApolloServerPlugin<GatewayContext> = {
      requestDidStart: async () => ({
        didResolveOperation: async (requestContext) => {
          if (!this.schema || !this.hints || !requestContext.operation) return;
          const facts = operationCacheFacts(this.schema, this.hints, requestContext.document, requestContext.operation);
          requestContext.overallCachePolicy.replace({ maxAge: facts.maxAge, scope: facts.scope });
          // Any Authorization header, valid or not, keeps the request away from the cache.
          const anonymous = !requestContext.request.http?.headers.has("authorization");
          this.states.set(requestContext.request, { facts, anonymous });
        },
        willSendResponse: async (requestContext) => this.setHttpHeaders(requestContext),
      }),
    };
    if (!this.store) return [policy];
    const stored = responseCachePlugin<GatewayContext>({
      cache: this.store.answers,
      // Answers are cached for the public only, so there are no sessions.
      sessionId: async () => null,
      extraCacheKeyData: async (requestContext) => this.keyData(requestContext),
      shouldReadFromCache: async (requestContext) => this.usesCache(requestContext),
      shouldWriteToCache: async (requestContext) => this.usesCache(requestContext),
    });
    return [policy, stored];
  }

  private async keyData(requestContext: RequestContext): Promise<RequestCacheState["keyData"] | null> {
    const state = this.states.get(requestContext.request);
    if (!state?.anonymous || state.facts.maxAge <= 0 || state.facts.scope === "PRIVATE") return null;
    const generations = await this.store!.generations(state.facts.typenames);
    if (!generations) return null;
    const languages = parseAcceptLanguage(requestContext.request.http?.headers.get("accept-language")?.slice(0, 200)).join(",");
    state.keyData = { languages, generations };
    return state.keyData;
  }

  private async usesCache(requestContext: RequestContext): Promise<boolean> {
    const state = this.states.get(requestContext.request);
    return Boolean(state?.anonymous && state.keyData);
  }

  private setHttpHeaders(requestContext: RequestContext): void {
    const state = this.states.get(requestContext.request);
    const { response } = requestContext;
    const { headers } = response.http;
    // Refused before an operation was resolved (unparsable, invalid, unknown persisted query): never kept.
    if (!state) {
      if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
      return;
    }
    if (response.body?.kind !== "single") return;
    const { data, errors } = response.body.singleResult;
    if (!state.anonymous) {
      headers.set("cache-control", "private, no-store");
      return;
    }
    const policy = requestContext.overallCachePolicy.policyIfCacheable();
    if (!policy || policy.scope === "PRIVATE" || errors || !data || requestContext.operation?.operation !== "query") {
      headers.set("cache-control", "no-store");
      return;
    }
    headers.set("cache-control", `public, max-age=${policy.maxAge}`);
    // A shared cache must not answer a caller with a token from the public's copy.
    headers.set("vary", "accept-language, authorization");
    if (requestContext.request.http?.method === "GET") {
      headers.set("etag", `W/"${createHash("sha256").update(JSON.stringify(data)).digest("base64url").slice(0, 32)}"`);
    }
  }
}

const active = new Set<ResponseCache>();

/** The gateway's response cache with the configured store (memory, Redis, or off: headers only). */
export function createResponseCache(settings: Config["responseCache"] = config().responseCache): ResponseCache {
  const store =
    settings.store === "off"
      ? undefined
      : settings.store === "redis"
        ? new RedisResponseCacheStore(settings.redisUrl!, settings.keyPrefix)
        : new MemoryResponseCacheStore(settings.memoryBytes);
  const cache = new ResponseCache(store);
  active.add(cache);
  return cache;
}

/**
 * Removes every cached answer that touched any of these GraphQL types (object, interface or union names), in every
 * gateway of this process and, with Redis, for every gateway sharing it. Call it when what such answers show changes.
 */
export async function evictResponseCacheTypes(typenames: readonly string[]): Promise<void> {
  await Promise.all([...active].map((cache) => cache.evict(typenames)));
}
