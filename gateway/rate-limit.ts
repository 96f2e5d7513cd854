// Per-client rate budgets at the gateway: a token bucket per client (per address group for the public: an IPv4
// address, an IPv6 /64), refilled at RATE_LIMIT_PER_SECOND points up to RATE_LIMIT_BURST, or the client's own limit
// carried in its token. A request is charged points by its estimated cost (gateway/admission). Buckets live in
// memory, or in Redis when REDIS_URL is set so several gateways share them.
import Redis from "ioredis";
import type { Viewer } from "../lib/auth";
import { config } from "../lib/config";
import { codedError, ErrorCode } from "../lib/errors";
import { logger } from "../lib/logger";
import { addressGroup } from "../lib/network-address";

export interface Decision {
  allowed: boolean;
  /** Seconds until the points asked for would be available (when refused). */
  retryAfterSeconds: number;
  /** Whole points left in the bucket after this decision. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

export interface RateLimitStore {
  /** Takes `points` from the bucket if it holds them all; otherwise takes nothing. */
  take(key: string, perSecond: number, burst: number, points?: number): Promise<Decision>;
  close(): Promise<void>;
}

function decision(allowed: boolean, tokens: number, perSecond: number, burst: number, points: number): Decision {
  return {
    allowed,
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((Math.min(points, burst) - tokens) / perSecond)),
    remaining: Math.max(0, Math.floor(tokens)),
    resetSeconds: Math.max(0, Math.ceil((burst - tokens) / perSecond)),
  };
}

/** One process's buckets; idle ones are forgotten so memory stays bounded. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000);

  constructor() {
    this.sweeper.unref();
  }

  async take(key: string, perSecond: number, burst: number, points = 1): Promise<Decision> {
    const now = Date.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    const allowed = bucket.tokens >= points;
    if (allowed) bucket.tokens -= points;
    return decision(allowed, bucket.tokens, perSecond, burst, points);
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
local points = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) / 1000 * rate)
local allowed = 0
if tokens >= points then
  tokens = tokens - points
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

  async take(key: string, perSecond: number, burst: number, points = 1): Promise<Decision> {
    try {
      const [allowed, tokens] = (await (this.redis as unknown as { takeToken: (...args: unknown[]) => Promise<[number, string]> }).takeToken(
        `ratelimit:${key}`,
        perSecond,
        burst,
        points,
      )) as [number, string];
      return decision(allowed === 1, Number(tokens), perSecond, burst, points);
    } catch (error) {
      // Redis down: serve rather than lock every partner out; the outage is logged.
      logger.warn("rate limit store unavailable; request allowed", { error });
      return { allowed: true, retryAfterSeconds: 0, remaining: burst, resetSeconds: 0 };
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

/** The bucket a request counts against: the API client, else the token's subject, else the caller's address group. */
export function rateLimitKey(viewer: Viewer | undefined, clientIp: string | undefined): string {
  if (viewer) return viewer.clientId ? `client:${viewer.clientId}` : `subject:${viewer.subject}`;
  return `ip:${addressGroup(clientIp, config().ipv6PrefixLength)}`;
}

/** The caller's budget: its own (carried in its token) or the default. */
export function ratePolicyOf(viewer: Viewer | undefined): { perSecond: number; burst: number } {
  const { perSecond, burst } = viewer?.rateLimit ?? config().rateLimit;
  return { perSecond, burst };
}

/** The RATE_LIMITED error a refused request gets (HTTP 429 with Retry-After). */
export function rateLimited(policy: { perSecond: number; burst: number }, retryAfterSeconds: number) {
  return codedError(
    ErrorCode.RATE_LIMITED,
    `Too many requests: your budget is ${policy.perSecond} points per second (bursts of ${policy.burst}); each request costs 1 point plus 1 per ${config().admission.costPerPoint} of estimated cost. Retry after ${retryAfterSeconds} s.`,
    { retryAfterSeconds },
  );
}
