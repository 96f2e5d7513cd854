// __resolveReference for the entities this subgraph owns; each goes through the request's loaders and the
// same visibility rules as the root fields, so _entities reveals nothing a root field would not.
import type { JudgingContext } from "./context";

export const judgingReferenceResolvers = {
  Judge: { __resolveReference: (ref: { id: string }, context: JudgingContext) => context.judges.get(ref.id) },
  JudgingRound: { __resolveReference: (ref: { id: string }, context: JudgingContext) => context.rounds.get(ref.id) },
  Award: { __resolveReference: (ref: { id: string }, context: JudgingContext) => context.awards.get(ref.id) },
};
