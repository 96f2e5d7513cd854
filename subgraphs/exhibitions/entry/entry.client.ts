// Responsible for what the exhibitions subgraph asks of the entries subgraph, through its API (never its tables):
// the facts that decide whether an entry may be shown. (Which entries are public travels as events: exhibition-grants.ts.)
import { codedError, ErrorCode } from "../../../lib/errors";
import { callSubgraph, InternalCallError } from "../../../lib/internal-client";
import { ThemeCode } from "../../../lib/themes";

export interface EntryFact {
  id: string;
  status: "DRAFT" | "SUBMITTED" | "WITHDRAWN" | "DISQUALIFIED";
  consentToPublication: boolean;
  venueId: string;
  organizationId: string;
  theme: ThemeCode;
  kind: string;
}

/** entryFacts answers at most this many ids per call. */
const FACTS_PAGE = 5000;

const unavailable = (what: string) =>
  codedError(ErrorCode.SERVICE_UNAVAILABLE, `The entries service could not ${what} just now; nothing was changed. Try again in a moment.`);

/** Facts of the given entries by id; an id the entries subgraph does not know is absent from the map. */
export async function fetchEntryFacts(ids: string[]): Promise<Map<string, EntryFact>> {
  const facts = new Map<string, EntryFact>();
  for (let start = 0; start < ids.length; start += FACTS_PAGE) {
    const chunk = ids.slice(start, start + FACTS_PAGE);
    try {
      const data = await callSubgraph<{ entryFacts: EntryFact[] }>(
        "exhibitions",
        "entries",
        "query($ids: [ID!]) { entryFacts(ids: $ids, first: 5000) { id status consentToPublication venueId organizationId theme kind } }",
        { ids: chunk },
      );
      for (const fact of data.entryFacts) facts.set(fact.id, fact);
    } catch (error) {
      if (error instanceof InternalCallError) throw unavailable("check the entries");
      throw error;
    }
  }
  return facts;
}

/** Why an entry may not be shown in an exhibition, or null when it may. */
export function whyNotShowable(fact: EntryFact | undefined): string | null {
  if (!fact) return "no such entry exists";
  if (fact.status === "DISQUALIFIED") return "the entry was disqualified";
  if (fact.status === "WITHDRAWN") return "the entry was withdrawn";
  if (fact.status !== "SUBMITTED") return `the entry is ${fact.status}; only submitted entries can be shown`;
  if (!fact.consentToPublication) return "the entrant did not consent to publication";
  return null;
}
