// Where cached answers live: one gateway's memory, or Redis shared by every gateway. Each type has a generation that is
// part of every answer's key; evicting a type moves it to a new generation, so every answer that touched it becomes
// unreachable at once on every replica (in Redis: one INCR per type, no scan of tag sets), and an answer computed while
// the change happened is written under the old generation, never served after the eviction. Unreachable answers are
// dropped by their max-age (and in memory, by the LRU bound). In Redis a generation starts at the clock (milliseconds),
// not at 0: a Redis that lost its keys never gives back a generation an answer some gateway still holds was stored under.
import Redis from "ioredis";
import { ErrorsAreMissesCache, InMemoryLRUCache, KeyValueCache, KeyValueCacheSetOptions } from "@apollo/utils.keyvaluecache";
import { logger } from "../../lib/logger";

export interface ResponseCacheStore {
  /** Serialised answers by key, each expiring after its max-age. Errors are misses. */
  readonly answers: KeyValueCache<string>;
  /** The current generation of each type, in order; undefined when they cannot be read (then nothing is read or written). */
  generations(typenames: readonly string[]): Promise<number[] | undefined>;
  /** Moves each type to a new generation: every answer that touched one of them is gone. */
  advance(typenames: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export class MemoryResponseCacheStore implements ResponseCacheStore {
  readonly answers: KeyValueCache<string>;
  private readonly generationOf = new Map<string, number>();

  constructor(maxBytes: number) {
    this.answers = new InMemoryLRUCache<string>({ maxSize: maxBytes, sizeCalculation: InMemoryLRUCache.sizeCalculation });
  }

  async generations(typenames: readonly string[]): Promise<number[]> {
    return typenames.map((typename) => this.generationOf.get(typename) ?? 0);
  }

  async advance(typenames: readonly string[]): Promise<void> {
    for (const typename of typenames) this.generationOf.set(typename, (this.generationOf.get(typename) ?? 0) + 1);
  }

  async close(): Promise<void> {}
}

/** Answers as Redis strings with an expiry (SET … EX). */
class RedisAnswers implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    if (options?.ttl) await this.redis.set(this.prefix + key, value, "EX", Math.ceil(options.ttl));
    else await this.redis.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}

export class RedisResponseCacheStore implements ResponseCacheStore {
  readonly answers: KeyValueCache<string>;
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    // A slow or absent Redis costs a miss, never a failed request.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 500 });
    this.redis.on("error", (error) => logger.warn("redis error", { error, component: "response cache" }));
    this.answers = new ErrorsAreMissesCache(new RedisAnswers(this.redis, `${prefix}answer:`), logger);
  }

  async generations(typenames: readonly string[]): Promise<number[] | undefined> {
    if (!typenames.length) return [];
    const keys = typenames.map((typename) => `${this.prefix}generation:${typename}`);
    try {
      let values = await this.redis.mget(keys);
      if (values.some((value) => value === null)) {
        // A type never evicted, or a Redis that lost its keys (restarted, flushed): its generation starts at the clock,
        // so it can never come back to a number an answer kept by a gateway (its recent copies) was stored under.
        const start = String(Date.now());
        const missing = keys.filter((_, index) => values[index] === null);
        await Promise.all(missing.map((key) => this.redis.set(key, start, "NX")));
        values = await this.redis.mget(keys);
      }
      return values.map((value) => Number(value ?? 0));
    } catch (error) {
      logger.warn("response cache generations unreadable", { error });
      return undefined;
    }
  }

  async advance(typenames: readonly string[]): Promise<void> {
    if (!typenames.length) return;
    const transaction = this.redis.multi();
    // A generation Redis lost starts at the clock here too (INCR alone would start it again at 1).
    const start = String(Date.now());
    for (const typename of typenames) transaction.set(`${this.prefix}generation:${typename}`, start, "NX").incr(`${this.prefix}generation:${typename}`);
    await transaction.exec();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
