// Delivers queued webhook events: leases due deliveries (so several copies of the service never send the
// same one at once), sends them, and records the outcome; failures are retried with exponential backoff
// until WEBHOOK_RETRY_HOURS have passed since the event, then marked FAILED.
import { DataSource } from "typeorm";
import { config } from "../../../lib/config";
import { startWorker, Worker } from "../../../lib/worker";
import { sendWebhook } from "./webhook-sender";

interface DueDelivery {
  id: string;
  attempts: number;
  created_at: Date;
  url: string;
  signing_secret: string;
  event_id: string;
  type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
}

const MAX_DELAY_MS = 2 * 3600_000;

/** Delay before attempt n+1 after n failures: base × 2^(n-1), capped at two hours, with ±10% jitter. */
export function retryDelayMs(failures: number, baseMs = config().webhooks.retryBaseMilliseconds): number {
  const delay = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(delay * (0.9 + Math.random() * 0.2));
}

export function startWebhookDeliveryWorker(dataSource: DataSource): Worker {
  const runOnce = async (): Promise<number> => {
    const leased: DueDelivery[] = await dataSource.query(
      `WITH due AS (
         UPDATE venues.webhook_delivery SET next_attempt_at = now() + interval '60 seconds'
          WHERE id IN (SELECT id FROM venues.webhook_delivery WHERE status = 'PENDING' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED)
          RETURNING id, attempts, created_at, webhook_id, event_id)
       SELECT due.id, due.attempts, due.created_at, webhook.url, webhook.signing_secret, event.id AS event_id, event.type, event.occurred_at, event.payload
         FROM due JOIN venues.webhook webhook ON webhook.id = due.webhook_id JOIN venues.partner_event event ON event.id = due.event_id`,
    );
    await Promise.all(
      leased.map(async (delivery) => {
        const attempt = await sendWebhook(delivery.url, delivery.signing_secret, {
          id: delivery.event_id,
          type: delivery.type,
          occurredAt: delivery.occurred_at,
          payload: delivery.payload,
        });
        const failures = delivery.attempts + 1;
        const giveUp = Date.now() - delivery.created_at.getTime() > config().webhooks.retryHours * 3600_000;
        await dataSource.query(
          `UPDATE venues.webhook_delivery
              SET attempts = attempts + 1, last_attempt_at = now(), last_response_code = $2, last_error = $3,
                  status = $4, delivered_at = CASE WHEN $4 = 'DELIVERED' THEN now() ELSE NULL END,
                  next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
            WHERE id = $1`,
          [delivery.id, attempt.status, attempt.error, attempt.ok ? "DELIVERED" : giveUp ? "FAILED" : "PENDING", attempt.ok ? 0 : retryDelayMs(failures)],
        );
      }),
    );
    return leased.length;
  };

  return startWorker("webhook delivery", runOnce, () => config().webhooks.pollMilliseconds);
}
