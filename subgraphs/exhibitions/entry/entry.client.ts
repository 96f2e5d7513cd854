// Responsible for what the exhibitions subgraph asks of the entries subgraph, through its API (never its tables):
// the facts that decide whether an entry may be shown. (Which entries are public travels as events: exhibition-grants.ts.)
import { EntriesClient, EntryFact } from "../../../lib/clients/entries";

export type { EntryFact };

const entries = new EntriesClient("exhibitions");

/** Facts of the given entries by id; an id the entries subgraph does not know is absent from the map. */
export async function fetchEntryFacts(ids: string[]): Promise<Map<string, EntryFact>> {
  return new Map((await entries.entryFacts({ ids })).map((fact) => [fact.id, fact]));
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
