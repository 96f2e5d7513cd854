// Demo data for npm start: loaded once, into an empty database, through each subgraph's own DataSource.
import type { DataSource } from "typeorm";
import type { SubgraphName } from "../../lib/config";
import { logger } from "../../lib/logger";
import { loadDemoEntries } from "./entries";
import { loadDemoExhibitions } from "./exhibitions";
import { loadDemoJudging } from "./judging";
import { generateDemoMedia } from "./media";
import { loadDemoVenues } from "./venues";

export { DEMO_CLIENTS, DEMO } from "./venues";

/** Loads the demo competition when the venues schema has no organisation yet; returns whether it did. */
export async function loadDemoDataIfEmpty(dataSources: Record<SubgraphName, DataSource>): Promise<boolean> {
  const [{ count }] = await dataSources.venues.query(`SELECT count(*)::int AS count FROM venues.organization`);
  if (count > 0) return false;
  const started = Date.now();
  const venues = await loadDemoVenues(dataSources.venues);
  const entries = await loadDemoEntries(dataSources.entries, venues, await generateDemoMedia());
  const exhibited = await loadDemoExhibitions(dataSources.exhibitions, dataSources.entries, entries, venues);
  const judging = await loadDemoJudging(dataSources.judging, venues);
  logger.info("demo data loaded", { venues: venues.length, entries: entries.length, exhibited: exhibited.length, ...judging, ms: Date.now() - started });
  return true;
}
