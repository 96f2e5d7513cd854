// Counts requests, errors and rate-limited calls per client per minute, and hands them to the venues
// subgraph every few seconds (kept and retried if it is unreachable, within a bounded number of rows).
import type { ApolloServerPlugin } from "@apollo/server";
import type { Viewer } from "../lib/auth";
import { VenuesClient } from "../lib/clients/venues";
import { logger } from "../lib/logger";

interface Counts {
  requests: number;
  errors: number;
  rateLimited: number;
}

const MAX_ROWS = 50_000;
const venues = new VenuesClient("gateway");

export class UsageRecorder {
  private rows = new Map<string, Counts>();
  /** client, minute and deprecated coordinate → operations that used it. */
  private deprecatedRows = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(flushMilliseconds = 10_000) {
    this.timer = setInterval(() => void this.flush(), flushMilliseconds);
    this.timer.unref();
  }

  record(clientId: string, outcome: { error?: boolean; rateLimited?: boolean }): void {
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const key = `${clientId}\u0000${minute}`;
    let counts = this.rows.get(key);
    if (!counts) {
      if (this.rows.size >= MAX_ROWS) return;
      counts = { requests: 0, errors: 0, rateLimited: 0 };
      this.rows.set(key, counts);
    }
    counts.requests += 1;
    if (outcome.error) counts.errors += 1;
    if (outcome.rateLimited) counts.rateLimited += 1;
  }

  async flush(): Promise<void> {
    await this.flushDeprecatedFields();
    if (this.rows.size === 0) return;
    const batch = this.rows;
    this.rows = new Map();
    const counts = [...batch].map(([key, value]) => {
      const [clientId, minute] = key.split("\u0000");
      return { clientId, minute, ...value };
    });
    try {
      await venues.recordApiUsage(counts);
    } catch (error) {
      logger.warn("could not report API usage; keeping it for the next flush", { error });
      for (const [key, value] of batch) {
        const current = this.rows.get(key);
        if (current) {
          current.requests += value.requests;
          current.errors += value.errors;
          current.rateLimited += value.rateLimited;
        } else if (this.rows.size < MAX_ROWS) this.rows.set(key, value);
      }
    }
  }

  /** Deprecated schema coordinates one operation of the client used (counted per client, minute and coordinate). */
  recordDeprecatedFields(clientId: string, coordinates: readonly string[]): void {
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    for (const coordinate of coordinates) {
      const key = `${clientId}\u0000${minute}\u0000${coordinate}`;
      const count = this.deprecatedRows.get(key);
      if (count !== undefined) this.deprecatedRows.set(key, count + 1);
      else if (this.deprecatedRows.size < MAX_ROWS) this.deprecatedRows.set(key, 1);
    }
  }

  private async flushDeprecatedFields(): Promise<void> {
    if (this.deprecatedRows.size === 0) return;
    const batch = this.deprecatedRows;
    this.deprecatedRows = new Map();
    const counts = [...batch].map(([key, requests]) => {
      const [clientId, minute, coordinate] = key.split("\u0000");
      return { clientId, minute, coordinate, requests };
    });
    try {
      // The venues subgraph takes at most 10000 rows per call.
      for (let start = 0; start < counts.length; start += 5000) {
        const chunk = counts.slice(start, start + 5000);
        await venues.recordDeprecatedFieldUsage(chunk);
        for (const row of chunk) batch.delete(`${row.clientId}\u0000${row.minute}\u0000${row.coordinate}`);
      }
    } catch (error) {
      logger.warn("could not report deprecated-field usage; keeping what was not reported for the next flush", { error });
      for (const [key, requests] of batch) {
        const current = this.deprecatedRows.get(key);
        if (current !== undefined) this.deprecatedRows.set(key, current + requests);
        else if (this.deprecatedRows.size < MAX_ROWS) this.deprecatedRows.set(key, requests);
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

/** Who usage is counted for: the API client, else the token's subject, else "anonymous". */
export function usageClientId(viewer: Viewer | undefined): string {
  return viewer?.clientId ?? viewer?.subject ?? "anonymous";
}

/** Records every answered operation, with whether it carried errors. */
export function usagePlugin(usage: UsageRecorder): ApolloServerPlugin<{ viewer: Viewer | undefined }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
          usage.record(usageClientId(contextValue.viewer), { error: Boolean(errors?.length) });
        },
      };
    },
  };
}
