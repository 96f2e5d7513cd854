// The entries subgraph: the competition, its themes, entries, entrants and their media.
import "reflect-metadata";
import { buildTypeGraphqlSubgraph } from "../../lib/subgraph-schema";
import { runSubgraphStandalone, SubgraphDefinition } from "../../lib/subgraph-service";
import { migrationsBySubgraph } from "../../migrations";
import { Competition, Theme } from "./competition/competition.entity";
import { CompetitionResolver, ThemeResolver } from "./competition/competition.resolver";
import { createEntriesContext, EntriesContext } from "./context";
import { EntryGrantResolver } from "./entry-grant/entry-grant.resolver";
import { Entrant, Entry, EntryGrant, MicroVideo, Photo } from "./entry/entry.entity";
import { EntryResolver } from "./entry/entry.resolver";
import { EntryFactResolver } from "./entry/entry-fact.resolver";
import { entriesReferenceResolvers } from "./references";
import { VenueEntriesResolver } from "./venue/venue.resolver";

export const entriesSubgraph: SubgraphDefinition<EntriesContext> = {
  name: "entries",
  entities: [Competition, Theme, Entrant, Entry, Photo, MicroVideo, EntryGrant],
  migrations: migrationsBySubgraph.entries,
  buildSchema: () =>
    buildTypeGraphqlSubgraph({
      resolvers: [CompetitionResolver, ThemeResolver, EntryResolver, EntryFactResolver, VenueEntriesResolver, EntryGrantResolver],
      referenceResolvers: entriesReferenceResolvers,
    }),
  createContext: createEntriesContext,
};

if (require.main === module) runSubgraphStandalone(entriesSubgraph);
