// Each subgraph's migrations, in order. One migrations table per subgraph schema.
import type { SubgraphName } from "../lib/config";
import { EntriesInitial1764288000000 } from "./entries/1764288000000-entries-initial";
import { EntriesMediaRules1764300000000 } from "./entries/1764300000000-entries-media-rules";
import { VenuesInitial1764288000000 } from "./venues/1764288000000-venues-initial";

export const migrationsBySubgraph: Record<SubgraphName, Function[]> = {
  venues: [VenuesInitial1764288000000],
  entries: [EntriesInitial1764288000000, EntriesMediaRules1764300000000],
  judging: [],
  exhibitions: [],
};
