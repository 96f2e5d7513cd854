// Per-client hourly limits on public interactions, counted in PostgreSQL so every copy of the service shares them.
import { createHash } from "node:crypto";
import { DataSource } from "typeorm";
import { config } from "../../../lib/config";
import { codedError, ErrorCode } from "../../../lib/errors";
import { addressGroup } from "../../../lib/network-address";

const SCHEMA = "exhibitions";

export enum VisitorAction {
  LIKE = "LIKE",
  VIEW = "VIEW",
}

/**
 * Likes and unlikes per client address per clock hour. Generous because visitors of an on-site exhibition share
 * a venue's address; one visitor still cannot like a work twice.
 */
export const LIKES_PER_CLIENT_PER_HOUR = 300;
export const VIEWS_PER_CLIENT_PER_HOUR = 3000;

const LIMITS: Record<VisitorAction, number> = {
  [VisitorAction.LIKE]: LIKES_PER_CLIENT_PER_HOUR,
  [VisitorAction.VIEW]: VIEWS_PER_CLIENT_PER_HOUR,
};

/**
 * Counted per address group, as the gateway's public budgets are: an IPv6 caller by its /64 (IPV6_PREFIX_LENGTH),
 * since one subscriber holds the whole block. Stored hashed and only for a day: enough to count, not a visitor log.
 */
function clientKey(clientIp: string | undefined): string {
  return createHash("sha256")
    .update(`image-china-visitor:${addressGroup(clientIp, config().ipv6PrefixLength)}`)
    .digest("hex");
}

/** Counts one attempt by the client in the current hour; over the limit is RATE_LIMITED, with the seconds to wait. */
export async function consumeVisitorAllowance(dataSource: DataSource, action: VisitorAction, clientIp: string | undefined): Promise<void> {
  const [{ attempts, retry_after: retryAfter }] = await dataSource.query(
    `INSERT INTO ${SCHEMA}.visitor_rate_window AS rate (action, client_key, window_start, attempts)
     VALUES ($1, $2, date_trunc('hour', now()), 1)
     ON CONFLICT (action, client_key, window_start) DO UPDATE SET attempts = rate.attempts + 1
     RETURNING attempts, ceil(extract(epoch FROM (rate.window_start + interval '1 hour' - now())))::int AS retry_after`,
    [action, clientKey(clientIp)],
  );
  // Old windows are purged now and then rather than on every call, which would double the statements per like.
  if (Math.random() < 0.01) {
    await dataSource.query(`DELETE FROM ${SCHEMA}.visitor_rate_window WHERE window_start < now() - interval '1 day'`);
  }
  const limit = LIMITS[action];
  if (attempts > limit) {
    throw codedError(
      ErrorCode.RATE_LIMITED,
      `Too many ${action === VisitorAction.LIKE ? "likes" : "views"} from your address this hour (limit ${limit}); try again in ${retryAfter} seconds.`,
      {
        limit,
        retryAfterSeconds: retryAfter,
      },
    );
  }
}
