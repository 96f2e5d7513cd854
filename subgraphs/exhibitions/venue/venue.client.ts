// Responsible for asking the venues subgraph, through its API, whether venues exist.
import { codedError, ErrorCode } from "../../../lib/errors";
import { callSubgraph, InternalCallError } from "../../../lib/internal-client";

/** The ids among `ids` that the venues subgraph does not know. */
export async function unknownVenueIds(ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  try {
    const data = await callSubgraph<{ _entities: ({ id: string } | null)[] }>(
      "exhibitions",
      "venues",
      "query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Venue { id } } }",
      { representations: ids.map((id) => ({ __typename: "Venue", id })) },
    );
    return ids.filter((_id, index) => !data._entities[index]);
  } catch (error) {
    if (error instanceof InternalCallError) {
      throw codedError(ErrorCode.SERVICE_UNAVAILABLE, "The venues service could not check the host venues just now; nothing was changed. Try again in a moment.");
    }
    throw error;
  }
}
