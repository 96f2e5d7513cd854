// The events the judging subgraph handles: an entry that leaves the competition is stood down from every round not
// closed (judges no longer see it), and the entries subgraph's acknowledgements of grant requests complete what
// waited for them (a round's judges' grants; awards PUBLISHING → PUBLISHED).
import type { EventHandler, EventHandlers } from "../../lib/events/follower";
import { isUuid } from "../../lib/ids";
import { completeAwardPublication } from "./award/award-publication";
import { recuseUnscoredOfEntry } from "./assignment/assignment.store";
import { parseGrantSource } from "./judging-grants";

const SCHEMA = "judging";

/** Unscored assignments of the entry in rounds not closed are listed as recused with the reason. */
const entryLeft: EventHandler<"entry.withdrawn" | "entry.disqualified"> = async (event, manager) => {
  if (!isUuid(event.payload.entryId)) return;
  await recuseUnscoredOfEntry(manager, event.payload.entryId, `The entry was ${event.type === "entry.withdrawn" ? "withdrawn" : "disqualified"}.`);
};

export const judgingSubscriptions: EventHandlers = {
  "entry.withdrawn": entryLeft,
  "entry.disqualified": entryLeft,
  "entry-grants.applied": async (event, manager) => {
    const source = parseGrantSource(event.payload.source);
    if (!source) return;
    if (source.kind === "round") {
      await manager.query(`UPDATE ${SCHEMA}.judging_round SET grants_applied = GREATEST(grants_applied, $2) WHERE id = $1`, [
        source.roundId,
        event.payload.version,
      ]);
    } else {
      await completeAwardPublication(manager, source.roundId, event.payload.version);
    }
  },
};
