// What happens after an entry's status changes, driven by the entries outbox: partners' webhooks are queued,
// and a withdrawn or disqualified entry leaves every exhibition and every judge's list at once.
import { callSubgraph } from "../../../lib/internal-client";
import { forwardToPartners, OutboxEvent, StoredOutboxEvent } from "../../../lib/outbox";
import { Entry } from "./entry.entity";

/** The event for an entry's new status; the payload carries no entrant identity. */
export function entryEvent(type: "entry.submitted" | "entry.withdrawn" | "entry.disqualified", entry: Entry): OutboxEvent {
  return {
    type,
    organizationIds: [entry.organizationId],
    payload: { entryId: entry.id, venueId: entry.venueId, status: entry.status, theme: entry.themeCode, kind: entry.kind, title: entry.title },
  };
}

/** Partners first, so an exhibitions outage never holds webhooks back; both steps are safe to repeat on retry. */
export async function dispatchEntryEvents(events: StoredOutboxEvent[]): Promise<void> {
  await forwardToPartners("entries", events);
  for (const event of events) {
    if (event.type === "entry.withdrawn" || event.type === "entry.disqualified") {
      const reason = event.type === "entry.withdrawn" ? "withdrawn" : "disqualified";
      await callSubgraph("entries", "exhibitions", `mutation($id: ID!) { removeEntryFromExhibitions(entryId: $id) }`, { id: event.payload.entryId });
      await callSubgraph("entries", "judging", `mutation($id: ID!, $reason: String!) { entryLeftCompetition(entryId: $id, reason: $reason) }`, { id: event.payload.entryId, reason });
    }
  }
}
