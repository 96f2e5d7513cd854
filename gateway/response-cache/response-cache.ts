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
//   - Hits before Apollo: an answer stored for the public is also kept whole, as the bytes of its `data`, under a key of
//     the request as it arrived (document after persisted-id expansion, operation name, variables, languages, Accept).
//     frontDoor(), the last middleware before Apollo (after admission, persisted operations and the operation limits,
//     which charged the cost), answers a repeated public request from those bytes if every type it shows is still at
//     the generation it was stored under — no parse, validation, plan or serialisation, which is most of a hit's CPU.
//     Anything else (a token, a miss, a changed type) goes on to Apollo and the plugin below, unchanged. The answers
//     this gateway served or stored lately are also kept parsed in its own memory (RECENT_HITS_BYTES): a hit then
//     reads only the generations from the store (in Redis, one MGET of a few bytes) instead of the whole answer.
// Built on @apollo/server-plugin-response-cache (key, storage, Age header); the policy comes from the document instead
// of from resolvers, so no subgraph wraps its resolvers for cache hints and the gateway does not read subgraph headers.
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import type { Request, RequestHandler, Response } from "express";
import responseCachePlugin from "@apollo/server-plugin-response-cache";
import type { GraphQLSchema } from "graphql";
import { Config, config } from "../../lib/config";
import { parseAcceptLanguage } from "../../lib/context";
import type { GatewayContext } from "../context";
import { admissionOf, rateLimitExtension } from "../admission/admission.middleware";
import { documentIdOf, fieldsOf } from "../persisted-operations/persisted-operations.middleware";
import { CacheHints, OperationCacheFacts, operationCacheFacts, readCacheHints } from "./cache-policy";
import { MemoryResponseCacheStore, RedisResponseCacheStore, ResponseCacheStore } from "./response-cache.store";

type RequestContext = GraphQLRequestContext<GatewayContext>;

/** A public answer kept whole for frontDoor(): its data as JSON and what decides whether it may still be served. */
interface FrontEntry {
  data: string;
  typenames: string[];
  generations: number[];
  maxAge: number;
  storedAt: number;
  etag: string;
  contentType: string;
  operationName: string | null;
}

/** Where the answer to a request frontDoor() passed on is put, to be kept once it has been sent with status 200. */
export interface FrontSlot {
  key: string;
  entry?: Omit<FrontEntry, "contentType">;
}

/** Told of every answer frontDoor() serves, which Apollo's plugins (usage, metrics) never see. */
export type FrontDoorListener = (request: Request, operationName: string | null, seconds: number) => void;

/** What one request learned: the operation's facts, and the key data when the request may use the cache. */
interface RequestCacheState {
  facts: OperationCacheFacts;
  anonymous: boolean;
  /** Languages and type generations, part of the key; undefined: this request neither reads nor writes. */
  keyData?: { languages: string; generations: number[] };
  /** Where frontDoor() waits for the answer, when the request came through it. */
  frontSlot?: FrontSlot;
}

/** A front entry as frontDoor() serves it: the facts parsed, the data's JSON already encoded as UTF-8 (once, not per hit). */
interface FrontAnswer {
  entry: Omit<FrontEntry, "data">;
  data: Buffer;
}

/**
 * How much memory the parsed copies of recent public answers may take in each gateway. The store stays the truth (the
 * generations are read from it on every hit); this only saves fetching and parsing the same answer again and again.
 */
const RECENT_HITS_BYTES = 32 * 1024 * 1024;

export class ResponseCache {
  private schema: GraphQLSchema | undefined;
  private hints: CacheHints | undefined;
  private readonly states = new WeakMap<object, RequestCacheState>();
  private readonly recentHits = new LRUCache<string, FrontAnswer>({
    maxSize: RECENT_HITS_BYTES,
    sizeCalculation: (answer) => answer.data.length + 512,
  });

  constructor(private readonly store: ResponseCacheStore | undefined) {}

  /**
   * Answers a repeated public request from the answer stored for it, before Apollo; otherwise remembers the request's
   * key so that the answer Apollo makes is stored for the next one. Place it last before Apollo.
   */
  frontDoor(onServed?: FrontDoorListener): RequestHandler {
    return (request, response, next) => {
      const key = this.store && this.schema ? frontKeyOf(request) : undefined;
      if (!key) return next();
      this.serveFromFront(key, request, response, onServed).then(
        (served) => !served && this.passOn(key, request, response, next),
        () => this.passOn(key, request, response, next),
      );
    };
  }

  private async serveFromFront(key: string, request: Request, response: Response, onServed?: FrontDoorListener): Promise<boolean> {
    const started = process.hrtime.bigint();
    const answer = await this.currentAnswer(key);
    if (!answer) return false;
    const { entry, data } = answer;
    const ageSeconds = Math.floor((Date.now() - entry.storedAt) / 1000);
    if (response.headersSent) return true;
    response.setHeader("cache-control", `public, max-age=${entry.maxAge}`);
    response.setHeader("vary", "accept-language, authorization");
    response.setHeader("age", String(ageSeconds));
    if (request.method === "GET") {
      response.setHeader("etag", entry.etag);
      // A CDN or browser revalidating a copy it holds (request.fresh compares If-None-Match with the ETag).
      if (request.fresh) {
        response.status(304).end();
        onServed?.(request, entry.operationName, Number(process.hrtime.bigint() - started) / 1e9);
        return true;
      }
    }
    const admission = admissionExtensions(request);
    const body = Buffer.concat([DATA_OPENING, data, Buffer.from(admission ? `,"extensions":${JSON.stringify(admission)}}` : "}")]);
    response.setHeader("content-type", entry.contentType);
    response.setHeader("content-length", String(body.length));
    // end(), not send(): send() would hash the whole body for an ETag of its own on every hit.
    response.status(200).end(body);
    onServed?.(request, entry.operationName, Number(process.hrtime.bigint() - started) / 1e9);
    return true;
  }

  /**
   * The answer stored under a front key that may still be served: within its max-age and stored at the current
   * generation of every type it shows. This gateway's recent copy first; when that is gone or outdated, the store's
   * (another gateway may have stored a newer answer since), which then becomes the recent copy.
   */
  private async currentAnswer(key: string): Promise<FrontAnswer | undefined> {
    const recent = this.recentHits.get(key);
    const generations = recent && (await this.store!.generations(recent.entry.typenames));
    if (recent && generations && isCurrent(recent, generations)) return recent;
    if (recent) this.recentHits.delete(key);
    const stored = await this.store!.answers.get(FRONT_PREFIX + key);
    if (!stored) return undefined;
    const answer = readFrontEntry(stored);
    // The same key is the same operation, so the same types: generations read for the recent copy still apply.
    const current = generations ?? (await this.store!.generations(answer.entry.typenames));
    if (!current || !isCurrent(answer, current)) return undefined;
    this.recentHits.set(key, answer);
    return answer;
  }

  /** Lets Apollo answer, and keeps the answer for the front door if the plugin kept it and it went out with 200. */
  private passOn(key: string, request: Request, response: Response, next: () => void): void {
    const slot: FrontSlot = { key };
    frontSlots.set(request, slot);
    response.once("finish", () => {
      const contentType = response.getHeader("content-type");
      if (!slot.entry || response.statusCode !== 200 || typeof contentType !== "string") return;
      const { data, ...facts } = slot.entry;
      // The facts as JSON on the first line, the data after it as it will be sent: a hit parses only the facts.
      const stored = `${JSON.stringify({ ...facts, contentType })}\n${data}`;
      void this.store?.answers.set(FRONT_PREFIX + key, stored, { ttl: facts.maxAge }).catch(() => undefined);
      this.recentHits.set(key, { entry: { ...facts, contentType }, data: Buffer.from(data) });
    });
    next();
  }

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
          this.states.set(requestContext.request, { facts, anonymous, frontSlot: requestContext.contextValue?.responseCacheSlot });
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
    const etag = `W/"${createHash("sha256").update(JSON.stringify(data)).digest("base64url").slice(0, 32)}"`;
    if (requestContext.request.http?.method === "GET") headers.set("etag", etag);
    // Only what the plugin itself stores (or found stored) is kept for the front door, under the same rules.
    if (state.keyData && state.frontSlot) {
      state.frontSlot.entry = {
        data: JSON.stringify(data),
        typenames: state.facts.typenames,
        generations: state.keyData.generations,
        maxAge: policy.maxAge,
        storedAt: Date.now(),
        etag,
        operationName: requestContext.operationName ?? null,
      };
    }
  }
}

const FRONT_PREFIX = "front:";
const DATA_OPENING = Buffer.from(`{"data":`);

/** The slot frontDoor() gave each request it passed on to Apollo (read by the gateway's context). */
const frontSlots = new WeakMap<Request, FrontSlot>();

/** Where frontDoor() waits for the answer to this request; undefined when the request is not for the cache. */
export function responseCacheSlotOf(request: Request): FrontSlot | undefined {
  return frontSlots.get(request);
}

/**
 * The request as it arrived, for the front door: only a query a caller without any Authorization header sends as
 * JSON (POST) or in the query string (GET), after persisted operations put its text in place. Two requests with the
 * same key get the same answer from Apollo: the key holds everything the plugin's key holds but the generations, which
 * are checked on each hit instead.
 */
function frontKeyOf(request: Request): string | undefined {
  if (request.headers.authorization !== undefined) return undefined;
  if (request.method !== "GET" && request.method !== "POST") return undefined;
  if (request.method === "POST" && !request.is("application/json")) return undefined;
  const source = fieldsOf(request);
  if (!source) return undefined;
  // The text, or for an automatic persisted query sent by hash alone (a CDN's GET) the hash, which names one text.
  const document = typeof source.query === "string" ? source.query : documentIdOf(source)?.hash;
  if (!document) return undefined;
  const variables = typeof source.variables === "string" ? source.variables : jsonOrUndefined(source.variables ?? null);
  // Variables nested past what JSON.stringify can walk are no page anyone shares: Apollo refuses them.
  if (variables === undefined) return undefined;
  const languages = parseAcceptLanguage(request.headers["accept-language"]?.slice(0, 200)).join(",");
  return createHash("sha256")
    .update(
      JSON.stringify([
        request.method,
        typeof source.query === "string",
        document,
        source.operationName ?? null,
        variables,
        languages,
        request.headers.accept ?? "",
      ]),
    )
    .digest("base64url");
}

/** JSON text of a value, or undefined for one JSON.stringify cannot write (nested past the call stack). */
function jsonOrUndefined(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Whether an answer may still be served: within its max-age, and every type it shows at the generation it was stored under. */
function isCurrent(answer: FrontAnswer, generations: readonly number[]): boolean {
  if (Date.now() - answer.entry.storedAt >= answer.entry.maxAge * 1000) return false;
  return generations.length === answer.entry.generations.length && generations.every((generation, index) => generation === answer.entry.generations[index]);
}

/** A stored front entry: the facts (one JSON line) and the data's JSON after them, left as encoded text. */
function readFrontEntry(stored: string): FrontAnswer {
  const end = stored.indexOf("\n");
  return { entry: JSON.parse(stored.slice(0, end)) as Omit<FrontEntry, "data">, data: Buffer.from(stored.slice(end + 1)) };
}

/** extensions.cost and extensions.rateLimit as admissionPlugin() adds them to every answer Apollo makes. */
function admissionExtensions(request: Request): Record<string, unknown> | undefined {
  const state = admissionOf(request);
  return state ? { cost: { estimated: state.cost ?? null, points: state.points }, rateLimit: rateLimitExtension(state) } : undefined;
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
