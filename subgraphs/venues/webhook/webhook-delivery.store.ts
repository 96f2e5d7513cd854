// Queues partner events for the webhooks that subscribe to them: the event is kept once (by its id, so a
// redelivered event queues nothing twice) and one delivery is queued per enabled, subscribed endpoint of the
// organisations it concerns.
import type { EntityManager } from "typeorm";
import type { FeedEvent } from "../../../lib/events/types";
import { webhookEventOf } from "./webhook.entity";

const SCHEMA = "venues";

/** Returns how many deliveries were queued. */
export async function queuePartnerEvent(manager: EntityManager, event: FeedEvent): Promise<number> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO ${SCHEMA}.partner_event (id, type, occurred_at, organization_ids, payload) VALUES ($1, $2, $3, $4::uuid[], $5)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [event.id, event.type, event.occurredAt, event.organizationIds, JSON.stringify(event.payload)],
  );
  if (inserted.length === 0) return 0;
  const deliveries: unknown[] = await manager.query(
    `INSERT INTO ${SCHEMA}.webhook_delivery (webhook_id, event_id)
     SELECT webhook.id, $1 FROM ${SCHEMA}.webhook webhook
      WHERE webhook.disabled_at IS NULL AND webhook.organization_id = ANY($2::uuid[]) AND $3 = ANY(webhook.events)
     ON CONFLICT DO NOTHING RETURNING id`,
    [event.id, event.organizationIds, webhookEventOf(event.type)],
  );
  return deliveries.length;
}
