// The events the venues subgraph handles: every partner event (entries submitted, withdrawn or disqualified,
// awards and exhibitions published) is queued for the subscribed webhooks of the organisations it concerns.
import type { EventHandler, EventHandlers } from "../../lib/events/follower";
import { PARTNER_EVENT_TYPES } from "../../lib/events/types";
import { queuePartnerEvent } from "./webhook/webhook-delivery.store";

const queue: EventHandler = async (event, manager) => {
  await queuePartnerEvent(manager, event);
};

export const venuesSubscriptions: EventHandlers = Object.fromEntries(PARTNER_EVENT_TYPES.map((type) => [type, queue]));
