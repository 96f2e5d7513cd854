// Failed issueToken calls are throttled per client id and per address group (IPv6 by prefix), with
// rate-limiter-flexible: in memory, or in Redis when REDIS_URL is set so every copy of the service shares the
// counts. Checked before the secret is hashed, so a locked-out guesser costs no password check at all.
import Redis from "ioredis";
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { config } from "../../../lib/config";
import { codedError, ErrorCode } from "../../../lib/errors";
import { logger } from "../../../lib/logger";
import { addressGroup } from "../../../lib/network-address";

interface Limiters {
  settingsKey: string;
  byClient: RateLimiterAbstract;
  byAddress: RateLimiterAbstract;
  redis?: Redis;
}

let current: Limiters | undefined;

function limiters(): Limiters {
  const { loginThrottle, rateLimit } = config();
  const settingsKey = JSON.stringify([loginThrottle, rateLimit.redisUrl]);
  if (current?.settingsKey === settingsKey) return current;
  current?.redis?.disconnect();
  const common = (prefix: string, points: number) => ({ keyPrefix: prefix, points, duration: loginThrottle.windowSeconds });
  if (rateLimit.redisUrl) {
    const redis = new Redis(rateLimit.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 500, lazyConnect: false });
    redis.on("error", (error) => logger.warn("redis error", { error }));
    // Redis away: count in this process rather than let guessing run free or lock everyone out.
    const insurance = (prefix: string, points: number) => new RateLimiterMemory(common(prefix, points));
    current = {
      settingsKey,
      redis,
      byClient: new RateLimiterRedis({
        storeClient: redis,
        ...common("login-fail-client", loginThrottle.failuresPerClient),
        insuranceLimiter: insurance("login-fail-client", loginThrottle.failuresPerClient),
      }),
      byAddress: new RateLimiterRedis({
        storeClient: redis,
        ...common("login-fail-address", loginThrottle.failuresPerAddress),
        insuranceLimiter: insurance("login-fail-address", loginThrottle.failuresPerAddress),
      }),
    };
  } else {
    current = {
      settingsKey,
      byClient: new RateLimiterMemory(common("login-fail-client", loginThrottle.failuresPerClient)),
      byAddress: new RateLimiterMemory(common("login-fail-address", loginThrottle.failuresPerAddress)),
    };
  }
  return current;
}

function keysOf(clientId: string, clientIp: string | undefined) {
  return { client: clientId.slice(0, 200), address: addressGroup(clientIp, config().ipv6PrefixLength) };
}

/** Throws RATE_LIMITED when the client id or the address has failed too often in the window. */
export async function assertLoginAllowed(clientId: string, clientIp: string | undefined): Promise<void> {
  const { byClient, byAddress } = limiters();
  const keys = keysOf(clientId, clientIp);
  const [client, address] = await Promise.all([byClient.get(keys.client), byAddress.get(keys.address)]);
  const blocked = [
    client && client.consumedPoints >= byClient.points ? client : undefined,
    address && address.consumedPoints >= byAddress.points ? address : undefined,
  ].filter((item): item is RateLimiterRes => item !== undefined);
  if (blocked.length) {
    const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...blocked.map((item) => item.msBeforeNext)) / 1000));
    throw codedError(ErrorCode.RATE_LIMITED, `Too many failed logins for this client or from this address; try again in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    });
  }
}

/** Counts a failed login against the client id and the address. */
export async function recordLoginFailure(clientId: string, clientIp: string | undefined): Promise<void> {
  const { byClient, byAddress } = limiters();
  const keys = keysOf(clientId, clientIp);
  // consume rejects once the points are used up; that is the state assertLoginAllowed reads next time.
  await Promise.all([byClient.consume(keys.client).catch(() => undefined), byAddress.consume(keys.address).catch(() => undefined)]);
}

/** A successful login clears the client id's failures (not the address's). */
export async function recordLoginSuccess(clientId: string, clientIp: string | undefined): Promise<void> {
  await limiters()
    .byClient.delete(keysOf(clientId, clientIp).client)
    .catch(() => undefined);
}
