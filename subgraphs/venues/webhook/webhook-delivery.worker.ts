// Delivers queued webhook events. Each endpoint is its own lane: at most one attempt per endpoint at a time, the
// lanes run side by side (up to WEBHOOK_CONCURRENCY), and a pass never waits for attempts in flight — so a slow or
// failing endpoint delays only its own deliveries. Every attempt has an absolute deadline; an endpoint that keeps
// failing trips its circuit (webhook-circuit.ts). Deliveries are leased in the database so several copies of the
// service never send the same one at once; failures are retried with exponential backoff until WEBHOOK_RETRY_HOURS
// have passed since the event, then marked FAILED.
import { DataSource } from "typeorm";
import { config } from "../../../lib/config";
import { logger } from "../../../lib/logger";
import { retryDelayMs } from "../../../lib/retry";
import { startWorker, Worker } from "../../../lib/worker";
import { WebhookCircuits } from "./webhook-circuit";
import { DeliveryStatus } from "./webhook.entity";
import { sendWebhook } from "./webhook-sender";

const SCHEMA = "venues";

interface DueDelivery {
  id: string;
  webhook_id: string;
  attempts: number;
  created_at: Date;
  url: string;
  signing_secret: string;
  event_id: string;
  type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
}

/** A failing endpoint is retried with the one backoff policy (lib/retry.ts), never more than two hours apart. */
const MAX_DELAY_MS = 2 * 3600_000;

export interface WebhookDeliveryWorker extends Worker {
  /** Resolves when every attempt started so far has been recorded (tests, shutdown). */
  idle(): Promise<void>;
}

export function startWebhookDeliveryWorker(dataSource: DataSource): WebhookDeliveryWorker {
  // Settings are read when used, so a changed configuration (tests) applies to the next attempt.
  const settings = () => config().webhooks;
  const circuits = new WebhookCircuits(() => ({ failures: settings().circuitFailures, openMs: settings().circuitOpenMilliseconds }));
  /** Endpoint (webhook id) → its attempt in flight. */
  const inFlight = new Map<string, Promise<void>>();

  const attempt = async (delivery: DueDelivery): Promise<void> => {
    const result = await sendWebhook(
      delivery.url,
      delivery.signing_secret,
      { id: delivery.event_id, type: delivery.type, occurredAt: delivery.occurred_at, payload: delivery.payload },
      { deadlineMs: settings().attemptDeadlineMilliseconds },
    );
    circuits.record(delivery.webhook_id, result.ok);
    const failures = delivery.attempts + 1;
    const giveUp = Date.now() - delivery.created_at.getTime() > settings().retryHours * 3600_000;
    await dataSource.query(
      `UPDATE ${SCHEMA}.webhook_delivery
          SET attempts = attempts + 1, last_attempt_at = now(), last_response_code = $2, last_error = $3,
              status = $4, delivered_at = CASE WHEN $6::boolean THEN now() ELSE NULL END,
              next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
        WHERE id = $1`,
      [
        delivery.id,
        result.status,
        result.error,
        result.ok ? DeliveryStatus.DELIVERED : giveUp ? DeliveryStatus.FAILED : DeliveryStatus.PENDING,
        result.ok ? 0 : retryDelayMs(failures, { baseMs: settings().retryBaseMilliseconds, maxMs: MAX_DELAY_MS }),
        result.ok,
      ],
    );
  };

  const runOnce = async (): Promise<number> => {
    const free = settings().concurrency - inFlight.size;
    if (free <= 0) return 0;
    // Endpoints with an attempt in flight or an open circuit are skipped; the rest get one delivery each.
    const skipped = [...inFlight.keys(), ...circuits.openEndpoints()];
    const leased: DueDelivery[] = await dataSource.transaction(async (manager) => {
      const candidates: { id: string; webhook_id: string }[] = await manager.query(
        `SELECT id, webhook_id FROM ${SCHEMA}.webhook_delivery
          WHERE status = $3 AND next_attempt_at <= now() AND NOT (webhook_id = ANY($1::uuid[]))
          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [skipped, free * 5, DeliveryStatus.PENDING],
      );
      const chosen = new Map<string, string>();
      for (const candidate of candidates) if (!chosen.has(candidate.webhook_id) && chosen.size < free) chosen.set(candidate.webhook_id, candidate.id);
      if (chosen.size === 0) return [];
      // The lease outlives the attempt's deadline, so no other copy picks the delivery up meanwhile.
      const leaseSeconds = Math.ceil(settings().attemptDeadlineMilliseconds / 1000) + 60;
      return manager.query(
        `WITH due AS (
           UPDATE ${SCHEMA}.webhook_delivery SET next_attempt_at = now() + make_interval(secs => $2)
            WHERE id = ANY($1::uuid[])
            RETURNING id, attempts, created_at, webhook_id, event_id)
         SELECT due.id, due.webhook_id, due.attempts, due.created_at, webhook.url, webhook.signing_secret, event.id AS event_id, event.type, event.occurred_at, event.payload
           FROM due JOIN ${SCHEMA}.webhook webhook ON webhook.id = due.webhook_id JOIN ${SCHEMA}.partner_event event ON event.id = due.event_id`,
        [[...chosen.values()], leaseSeconds],
      );
    });
    for (const delivery of leased) {
      const running = attempt(delivery)
        .catch((error) => logger.warn("webhook delivery could not be recorded", { error, deliveryId: delivery.id }))
        .finally(() => inFlight.delete(delivery.webhook_id));
      inFlight.set(delivery.webhook_id, running);
    }
    return leased.length;
  };

  const worker = startWorker("webhook delivery", runOnce, () => settings().pollMilliseconds);
  const idle = async () => {
    while (inFlight.size) await Promise.all(inFlight.values());
  };
  return {
    runOnce,
    idle,
    stop: async () => {
      await worker.stop();
      await idle();
    },
  };
}
