// Responsible for asking the venues subgraph, through its API, whether venues exist.
import { VenuesClient } from "../../../lib/clients/venues";

const venues = new VenuesClient("exhibitions");

/** The ids among `ids` that the venues subgraph does not know. */
export async function unknownVenueIds(ids: string[]): Promise<string[]> {
  const known = await venues.existing("Venue", ids);
  return ids.filter((id) => !known.has(id));
}
