// __resolveReference for the entities this subgraph owns; each goes through the request's loaders.
import type { VenuesContext } from "./context";

export const venuesReferenceResolvers = {
  Venue: { __resolveReference: (ref: { id: string }, context: VenuesContext) => context.loaders.venue.load(ref.id) },
  Organization: { __resolveReference: (ref: { id: string }, context: VenuesContext) => context.loaders.organization.load(ref.id) },
  Division: { __resolveReference: (ref: { id: string }, context: VenuesContext) => context.loaders.division.load(ref.id) },
};
