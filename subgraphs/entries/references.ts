// __resolveReference for the entities this subgraph owns; each goes through the request's loaders,
// so an entry the caller may not see resolves to null on _entities too.
import type { EntriesContext } from "./context";

export const entriesReferenceResolvers = {
  Entry: { __resolveReference: async (ref: { id: string }, context: EntriesContext) => (await context.loaders.entry.load(ref.id)) ?? null },
  Competition: {
    __resolveReference: async (ref: { id: string }, context: EntriesContext) => (await context.loaders.competition.load(ref.id)) ?? null,
  },
};
