// Responsible for what the exhibitions subgraph asks of the entries subgraph, through its API (never its tables):
// the facts that decide whether an entry may be shown, and which entries a published exhibition makes public.
import { EntriesClient, EntryFact } from "../../../lib/clients/entries";
import { codedError, ErrorCode } from "../../../lib/errors";
import { InternalCallError, replaceEntryGrants } from "../../../lib/internal-client";

export type { EntryFact };

const entries = new EntriesClient("exhibitions");

const unavailable = (what: string) =>
  codedError(ErrorCode.SERVICE_UNAVAILABLE, `The entries service could not ${what} just now; nothing was changed. Try again in a moment.`);

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

/**
 * Makes exactly `entryIds` public on behalf of the exhibition (replace-set: an empty list withdraws them all).
 * A failure is SERVICE_UNAVAILABLE, so the caller can keep its own change from taking effect.
 */
export async function grantPublicEntries(exhibitionId: string, entryIds: string[]): Promise<void> {
  try {
    await replaceEntryGrants("exhibitions", { source: `exhibition:${exhibitionId}`, public: true, entryIds });
  } catch (error) {
    if (error instanceof InternalCallError) throw unavailable("update which entries are public");
    throw error;
  }
}
