// The events the judging subgraph handles: an entry that leaves the competition is stood down from every round not
// closed (judges no longer see it), and the entries subgraph's acknowledgements of grant requests complete what
// waited for them (a round's judges' grants; awards PUBLISHING → PUBLISHED).
import type { EventHandler, EventHandlers } from "../../lib/events/follower";
import { isUuid } from "../../lib/ids";
import { completeAwardPublication } from "./award/award-publication";
import { AssignmentStatus } from "./assignment/assignment.entity";
import { parseGrantSource } from "./judging-grants";
import { RoundStatus } from "./round/round.entity";

/** Unscored assignments of the entry in rounds not closed are listed as recused with the reason. */
const entryLeft: EventHandler<"entry.withdrawn" | "entry.disqualified"> = async (event, manager) => {
  if (!isUuid(event.payload.entryId)) return;
  const reason = `The entry was ${event.type === "entry.withdrawn" ? "withdrawn" : "disqualified"}.`;
  await manager.query(
    `UPDATE judging.assignment assignment SET status = $3, recusal_reason = $2, recused_at = now(), updated_at = now()
       FROM judging.judging_round round
      WHERE round.id = assignment.round_id AND round.status <> $4 AND assignment.entry_id = $1 AND assignment.status = $5`,
    [event.payload.entryId, reason, AssignmentStatus.RECUSED, RoundStatus.CLOSED, AssignmentStatus.ASSIGNED],
  );
};

export const judgingSubscriptions: EventHandlers = {
  "entry.withdrawn": entryLeft,
  "entry.disqualified": entryLeft,
  "entry-grants.applied": async (event, manager) => {
    const source = parseGrantSource(event.payload.source);
    if (!source) return;
    if (source.kind === "round") {
      await manager.query(`UPDATE judging.judging_round SET grants_applied = GREATEST(grants_applied, $2) WHERE id = $1`, [source.roundId, event.payload.version]);
    } else {
      await completeAwardPublication(manager, source.roundId, event.payload.version);
    }
  },
};
