// The typed client for the entries subgraph: what other services may learn about entries, through its API
// (never its tables). Operations: lib/clients/operations/entries.graphql.
import { ThemeCode } from "../themes";
import { EntryFactFragment, EntryFactsDocument, EntryStatus } from "./generated/entries";
import { requestSubgraph } from "./subgraph-request";

/**
 * What another service may know about an entry: enough to decide whether to judge or show it. The theme is
 * lib/themes.ts's enum (the one the entries subgraph registers as ThemeCode), so it compares with stored themes.
 */
export type EntryFact = Omit<EntryFactFragment, "theme"> & { theme: ThemeCode };

/** entryFacts answers at most this many entries per call. */
const FACTS_PAGE = 5000;

export class EntriesClient {
  /** `caller`: the service calling, named in its service token. */
  constructor(private readonly caller: string) {}

  /**
   * Facts of the entries matching the filter, all pages; with `ids`, only of those entries (an id the entries
   * subgraph does not know, or that does not match, is absent).
   */
  async entryFacts(filter: { ids?: readonly string[]; status?: EntryStatus; theme?: ThemeCode | null }): Promise<EntryFact[]> {
    const facts: EntryFact[] = [];
    const conditions = { status: filter.status ?? null, theme: filter.theme ?? null, first: FACTS_PAGE };
    if (filter.ids) {
      for (let start = 0; start < filter.ids.length; start += FACTS_PAGE) {
        const ids = filter.ids.slice(start, start + FACTS_PAGE);
        facts.push(...((await requestSubgraph(this.caller, "entries", EntryFactsDocument, { ...conditions, ids })).entryFacts as EntryFact[]));
      }
      return facts;
    }
    let afterId: string | null = null;
    for (;;) {
      const entryFacts = (await requestSubgraph(this.caller, "entries", EntryFactsDocument, { ...conditions, afterId })).entryFacts as EntryFact[];
      facts.push(...entryFacts);
      if (entryFacts.length < FACTS_PAGE) return facts;
      afterId = entryFacts[entryFacts.length - 1].id;
    }
  }
}
