// The exhibitions subgraph: curated exhibitions of competition works, their sections and works, likes and views.
import "reflect-metadata";
import { buildTypeGraphqlSubgraph } from "../../lib/subgraph-schema";
import { runSubgraphStandalone, SubgraphDefinition } from "../../lib/subgraph-service";
import { migrationsBySubgraph } from "../../migrations";
import { createExhibitionsContext, ExhibitionsContext } from "./context";
import { exhibitionsSubscriptions } from "./exhibitions.events";
import { EntryExhibitionsResolver } from "./entry/entry.resolver";
import { ExhibitedWork } from "./exhibited-work/exhibited-work.entity";
import { ExhibitedWorkResolver } from "./exhibited-work/exhibited-work.resolver";
import { ExhibitionSection } from "./exhibition-section/exhibition-section.entity";
import { ExhibitionSectionResolver } from "./exhibition-section/exhibition-section.resolver";
import { Exhibition, ExhibitionHostVenue } from "./exhibition/exhibition.entity";
import { ExhibitionResolver } from "./exhibition/exhibition.resolver";
import { exhibitionsReferenceResolvers } from "./references";
import { VenueExhibitionsResolver } from "./venue/venue.resolver";
import { WorkLikeResolver } from "./work-like/work-like.resolver";

export const exhibitionsSubgraph: SubgraphDefinition<ExhibitionsContext> = {
  name: "exhibitions",
  entities: [Exhibition, ExhibitionHostVenue, ExhibitionSection, ExhibitedWork],
  migrations: migrationsBySubgraph.exhibitions,
  buildSchema: () =>
    buildTypeGraphqlSubgraph({
      resolvers: [ExhibitionResolver, ExhibitionSectionResolver, ExhibitedWorkResolver, WorkLikeResolver, EntryExhibitionsResolver, VenueExhibitionsResolver],
      referenceResolvers: exhibitionsReferenceResolvers,
    }),
  createContext: createExhibitionsContext,
  publishesEvents: true,
  subscriptions: exhibitionsSubscriptions,
};

if (require.main === module) runSubgraphStandalone(exhibitionsSubgraph);
