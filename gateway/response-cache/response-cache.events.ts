// Which cached answers each event makes stale: the gateway follows the subgraphs' event feeds (every replica on its
// own, from the feeds' heads) and evicts the types whose public view changed. With Redis, one replica's eviction is
// every replica's (per-type generations), and the others' evictions of the same event are harmless.
import type { MemoryEventHandlers } from "../../lib/events/follower";
import type { EventType } from "../../lib/events/types";
import type { ResponseCache } from "./response-cache";

/** The GraphQL types whose public answers change with each event. */
export const STALE_TYPES: Partial<Record<EventType, readonly string[]>> = {
  // An entry leaves the competition: it leaves exhibitions and lists, and is no longer public.
  "entry.withdrawn": ["Entry", "Exhibition", "ExhibitedWork", "ExhibitionSection", "Award", "Venue"],
  "entry.disqualified": ["Entry", "Exhibition", "ExhibitedWork", "ExhibitionSection", "Award", "Venue"],
  // Entries became public or stopped being public (published exhibitions and awards).
  "entry-grants.applied": ["Entry"],
  "exhibition.published": ["Exhibition", "ExhibitedWork", "ExhibitionSection", "Entry", "Venue"],
  "exhibition.changed": ["Exhibition", "ExhibitedWork", "ExhibitionSection", "Entry"],
  "exhibition.archived": ["Exhibition", "ExhibitedWork", "ExhibitionSection", "Entry", "Venue"],
  "awards.published": ["Award", "Entry", "JudgingRound", "Venue"],
  "awards.unpublished": ["Award", "Entry", "JudgingRound", "Venue"],
};

export function responseCacheEvictions(cache: ResponseCache): MemoryEventHandlers {
  return Object.fromEntries(Object.entries(STALE_TYPES).map(([type, typenames]) => [type, () => cache.evict(typenames!)]));
}
