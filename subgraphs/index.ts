// The four subgraphs by name.
import { SubgraphName } from "../lib/config";
import { SubgraphDefinition } from "../lib/subgraph-service";
import { RequestContext } from "../lib/context";
import { entriesSubgraph } from "./entries";
import { exhibitionsSubgraph } from "./exhibitions";
import { judgingSubgraph } from "./judging";
import { venuesSubgraph } from "./venues";

export const subgraphDefinitions: Partial<Record<SubgraphName, SubgraphDefinition<RequestContext>>> = {
  venues: venuesSubgraph as never,
  entries: entriesSubgraph as never,
  judging: judgingSubgraph as never,
  exhibitions: exhibitionsSubgraph as never,
};
