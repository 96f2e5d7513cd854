// The events subgraphs publish through their outboxes. A producer records what happened; it never names who
// listens. Each consumer (another subgraph, every gateway replica) declares the types it handles.
import type { SubgraphName } from "../config";

/** One set of entries a source grants to one audience (replace-set: entries left out lose the grant). */
export interface EntryGrantSet {
  /** The public (published exhibitions and awards) … */
  public?: boolean;
  /** … or one judge (the judge's assignments in a round). */
  judgeId?: string;
  entryIds: string[];
}

/** What each event type carries. Payloads never carry an entrant's identity. */
export interface EventPayloads {
  /** An entry was submitted, withdrawn or disqualified (entries). */
  "entry.submitted": EntryStatusPayload;
  "entry.withdrawn": EntryStatusPayload;
  "entry.disqualified": EntryStatusPayload;
  /**
   * A source (e.g. "exhibition:<id>", "round:<id>", "awards:<roundId>") asks that exactly these entries be granted
   * (exhibitions, judging). `version` grows with every request of the producer, in commit order per source.
   */
  "entry-grants.requested": { source: string; version: number; grants: EntryGrantSet[] };
  /** The entries subgraph applied a grant request; `organizationIds` are the organisations of the public entries. */
  "entry-grants.applied": { source: string; version: number; organizationIds: string[] };
  /** An exhibition became public (after its entries did), changed while public, or was archived (exhibitions). */
  "exhibition.published": { exhibitionId: string; slug: string; works: number };
  "exhibition.changed": { exhibitionId: string; slug: string };
  "exhibition.archived": { exhibitionId: string; slug: string };
  /** Awards of a scope became public (after their entries did) or were taken back (judging). */
  "awards.published": { theme: string; divisionId: string | null; awards: unknown[]; scoreLogHeads: unknown[] };
  "awards.unpublished": { theme: string; divisionId: string | null; entryIds: string[] };
  /** An API client was revoked (venues): every process refuses its tokens issued up to `revokedAt` (lib/revocation). */
  "api-client.revoked": { clientId: string; revokedAt: string };
}

export interface EntryStatusPayload {
  entryId: string;
  venueId: string;
  status: string;
  theme: string;
  kind: string;
  title: string;
}

export type EventType = keyof EventPayloads;

/** Types partners can subscribe to with webhooks (the venues subgraph forwards these). */
export const PARTNER_EVENT_TYPES = ["entry.submitted", "entry.withdrawn", "entry.disqualified", "awards.published", "exhibition.published"] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

/** An event as a producer records it. */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  /** Organisations the event is about (their webhooks receive partner events). */
  organizationIds: string[];
  payload: EventPayloads[T];
}

/** An event as its producer's feed serves it. */
export interface FeedEvent<T extends EventType = EventType> extends NewEvent<T> {
  id: string;
  producer: SubgraphName;
  /** Order within the producer's feed: strictly increasing in commit order, no event ever appears below one already served. */
  position: number;
  occurredAt: string;
  /** traceparent/tracestate of the request that recorded it (null when untraced). */
  traceContext: Record<string, string> | null;
}

/** Which producers publish which types: consumers follow exactly the feeds that carry what they handle. */
export const EVENT_PRODUCERS: Record<EventType, SubgraphName> = {
  "entry.submitted": "entries",
  "entry.withdrawn": "entries",
  "entry.disqualified": "entries",
  "entry-grants.applied": "entries",
  "entry-grants.requested": "exhibitions",
  "exhibition.published": "exhibitions",
  "exhibition.changed": "exhibitions",
  "exhibition.archived": "exhibitions",
  "awards.published": "judging",
  "awards.unpublished": "judging",
  "api-client.revoked": "venues",
};

/** entry-grants.requested is published by more than one producer. */
export const GRANT_REQUESTERS: readonly SubgraphName[] = ["exhibitions", "judging"];

/** The producers of a set of event types. */
export function producersOf(types: readonly EventType[]): SubgraphName[] {
  const producers = new Set<SubgraphName>();
  for (const type of types) {
    if (type === "entry-grants.requested") GRANT_REQUESTERS.forEach((producer) => producers.add(producer));
    else producers.add(EVENT_PRODUCERS[type]);
  }
  return [...producers].sort();
}
