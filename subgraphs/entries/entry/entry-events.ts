// The events an entry's status changes publish (entry.submitted, entry.withdrawn, entry.disqualified); whoever
// needs to know subscribes to them (webhooks, exhibitions, judging). The payload carries no entrant identity.
import type { NewEvent } from "../../../lib/events/types";
import { Entry } from "./entry.entity";

export function entryEvent(type: "entry.submitted" | "entry.withdrawn" | "entry.disqualified", entry: Entry): NewEvent {
  return {
    type,
    organizationIds: [entry.organizationId],
    payload: { entryId: entry.id, venueId: entry.venueId, status: entry.status, theme: entry.themeCode, kind: entry.kind, title: entry.title },
  };
}
