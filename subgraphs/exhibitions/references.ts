// __resolveReference for the entities this subgraph owns; each goes through the request's loaders,
// so a draft or archived exhibition the caller may not see resolves to null on _entities too.
import type { ExhibitionsContext } from "./context";

export const exhibitionsReferenceResolvers = {
  Exhibition: {
    __resolveReference: async (ref: { id: string }, context: ExhibitionsContext) => (await context.loaders.exhibition.load(ref.id)) ?? null,
  },
};
