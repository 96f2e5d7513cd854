// Everything the judging subgraph asks of other subgraphs, through their APIs (never their tables):
// entry facts (entries), venues, affiliations and judge logins (venues). Grants travel as events (judging-grants.ts).
import { callSubgraph, InternalCallError } from "../../lib/internal-client";
import { codedError, ErrorCode } from "../../lib/errors";
import { ThemeCode } from "../../lib/themes";

export interface EntryFact {
  id: string;
  theme: ThemeCode;
  kind: string;
  status: string;
  venueId: string;
  organizationId: string;
}

export interface VenueFact {
  id: string;
  divisionId: string | null;
  organizationId: string;
}

const CALLER = "judging";
const FACTS_PAGE = 5000;

const ENTRY_FACTS = `query($theme: ThemeCode, $status: EntryStatus, $afterId: ID, $first: Int, $ids: [ID!]) {
  entryFacts(theme: $theme, status: $status, afterId: $afterId, first: $first, ids: $ids) { id theme kind status venueId organizationId }
}`;

const VENUES = `query($after: String) {
  venues(first: 100, after: $after) { edges { node { id division { id } organization { id } } } pageInfo { hasNextPage endCursor } }
}`;

/** Another service is down or refused: a coded error the organiser can retry, never a masked crash. */
async function call<T>(target: "entries" | "venues", query: string, variables: Record<string, unknown>): Promise<T> {
  try {
    return await callSubgraph<T>(CALLER, target, query, variables);
  } catch (error) {
    if (error instanceof InternalCallError) throw codedError(ErrorCode.SERVICE_UNAVAILABLE, `${error.message} Nothing was changed; try again.`);
    throw error;
  }
}

/** SUBMITTED entries (optionally of one theme, or among `ids`), all pages. */
export async function submittedEntryFacts(options: { theme?: ThemeCode | null; ids?: string[] }): Promise<EntryFact[]> {
  const facts: EntryFact[] = [];
  if (options.ids) {
    for (let start = 0; start < options.ids.length; start += FACTS_PAGE) {
      const ids = options.ids.slice(start, start + FACTS_PAGE);
      const data = await call<{ entryFacts: EntryFact[] }>("entries", ENTRY_FACTS, { ids, status: "SUBMITTED", theme: options.theme ?? null, first: FACTS_PAGE });
      facts.push(...data.entryFacts);
    }
    return facts;
  }
  let afterId: string | null = null;
  for (;;) {
    const data: { entryFacts: EntryFact[] } = await call("entries", ENTRY_FACTS, { status: "SUBMITTED", theme: options.theme ?? null, afterId, first: FACTS_PAGE });
    facts.push(...data.entryFacts);
    if (data.entryFacts.length < FACTS_PAGE) return facts;
    afterId = data.entryFacts[data.entryFacts.length - 1].id;
  }
}

/** Every venue with its division and organisation. */
export async function venueFacts(): Promise<Map<string, VenueFact>> {
  const venues = new Map<string, VenueFact>();
  let after: string | null = null;
  for (;;) {
    type Page = { venues: { edges: { node: { id: string; division: { id: string } | null; organization: { id: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const data: Page = await call("venues", VENUES, { after });
    for (const { node } of data.venues.edges) venues.set(node.id, { id: node.id, divisionId: node.division?.id ?? null, organizationId: node.organization.id });
    if (!data.venues.pageInfo.hasNextPage) return venues;
    after = data.venues.pageInfo.endCursor;
  }
}

/** Which of the given ids exist as a Venue, Organization or Division in the venues subgraph. */
export async function existingVenueEntities(typename: "Venue" | "Organization" | "Division", ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const data = await call<{ _entities: ({ id: string } | null)[] }>(
    "venues",
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { id } } }`,
    { representations: ids.map((id) => ({ __typename: typename, id })) },
  );
  return new Set(data._entities.filter((entity): entity is { id: string } => entity !== null && Boolean(entity.id)).map((entity) => entity.id));
}

/** Creates the judge's login (a JUDGE API client) in the venues subgraph; the secret is shown once. */
export async function createJudgeApiClient(judgeId: string, name: string): Promise<{ id: string; clientId: string; clientSecret: string }> {
  const data = await call<{ createApiClient: { clientSecret: string; client: { id: string; clientId: string } } }>(
    "venues",
    `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { clientSecret client { id clientId } } }`,
    { input: { name, role: "JUDGE", judgeId } },
  );
  return { id: data.createApiClient.client.id, clientId: data.createApiClient.client.clientId, clientSecret: data.createApiClient.clientSecret };
}
