// Per-client rate limits at the gateway: a token bucket per client (per address for the public), refilled at
// RATE_LIMIT_PER_SECOND up to RATE_LIMIT_BURST, or the client's own limit carried in its token. Buckets live in
// memory, or in Redis when REDIS_URL is set so several gateways share them.
import Redis from "ioredis";
import type { Viewer } from "../lib/auth";
import { config } from "../lib/config";
import { codedError, ErrorCode } from "../lib/errors";
import { logger } from "../lib/logger";

export interface Decision {
  allowed: boolean;
  /** Seconds until a request would be allowed again (when refused). */
  retryAfterSeconds: number;
}

export interface RateLimitStore {
  take(key: string, perSecond: number, burst: number): Promise<Decision>;
  close(): Promise<void>;
}

/** One process's buckets; idle ones are forgotten so memory stays bounded. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000);

  constructor() {
    this.sweeper.unref();
  }

  async take(key: string, perSecond: number, burst: number): Promise<Decision> {
    const now = Date.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }

  private sweep(): void {
    const cutoff = Date.now() - 10 * 60_000;
    for (const [key, bucket] of this.buckets) if (bucket.at < cutoff) this.buckets.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}

// Refill and take atomically in Redis; the server's clock is the one clock all gateways share.
const TAKE_SCRIPT = `
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) / 1000 * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 60000)
return {allowed, tostring(tokens)}
`;

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;

  constructor(url: string) {
    // Commands wait briefly for the connection, then fail open (see take) rather than hold requests.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 500 });
    this.redis.on("error", (error) => logger.warn("redis error", { error }));
    this.redis.defineCommand("takeToken", { numberOfKeys: 1, lua: TAKE_SCRIPT });
  }

  async take(key: string, perSecond: number, burst: number): Promise<Decision> {
    try {
      const [allowed, tokens] = (await (this.redis as unknown as { takeToken: (...args: unknown[]) => Promise<[number, string]> }).takeToken(
        `ratelimit:${key}`,
        perSecond,
        burst,
      )) as [number, string];
      return allowed === 1 ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - Number(tokens)) / perSecond)) };
    } catch (error) {
      // Redis down: serve rather than lock every partner out; the outage is logged.
      logger.warn("rate limit store unavailable; request allowed", { error });
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createRateLimitStore(): RateLimitStore {
  const url = config().rateLimit.redisUrl;
  return url ? new RedisRateLimitStore(url) : new MemoryRateLimitStore();
}

/** The bucket a request counts against: the API client, else the token's subject, else the caller's address. */
export function rateLimitKey(viewer: Viewer | undefined, clientIp: string | undefined): string {
  if (viewer) return viewer.clientId ? `client:${viewer.clientId}` : `subject:${viewer.subject}`;
  return `ip:${clientIp ?? "unknown"}`;
}

/** Takes one request from the caller's bucket, or throws RATE_LIMITED (HTTP 429 with Retry-After). */
export async function enforceRateLimit(store: RateLimitStore, viewer: Viewer | undefined, clientIp: string | undefined): Promise<void> {
  const { perSecond, burst } = viewer?.rateLimit ?? config().rateLimit;
  const decision = await store.take(rateLimitKey(viewer, clientIp), perSecond, burst);
  if (!decision.allowed) {
    throw codedError(ErrorCode.RATE_LIMITED, `Too many requests: the limit is ${perSecond} per second (bursts of ${burst}). Retry after ${decision.retryAfterSeconds} s.`, {
      retryAfterSeconds: decision.retryAfterSeconds,
      http: { status: 429, headers: new Map([["retry-after", String(decision.retryAfterSeconds)]]) },
    });
  }
}
