// The events the exhibitions subgraph handles: an entry that leaves the competition leaves every exhibition at
// once (its public grant narrows with it), and the entries subgraph's acknowledgement of a public grant moves an
// exhibition from PUBLISHING to PUBLISHED (exhibition-grants.ts).
import type { EntityManager } from "typeorm";
import type { EventHandler, EventHandlers } from "../../lib/events/follower";
import { isUuid } from "../../lib/ids";
import { compactPositions } from "./exhibited-work/exhibited-work.store";
import { WorkRemovalReason } from "./exhibited-work/exhibited-work.entity";
import { ExhibitionStatus } from "./exhibition/exhibition.entity";
import { exhibitionOfSource, grantsApplied, grantsPublicly, recordExhibitionChanged, requestPublicGrants } from "./exhibition/exhibition-grants";

const SCHEMA = "exhibitions";

/** Takes the entry's works off every exhibition (rows kept for the record); returns the exhibitions concerned. */
async function removeEntryEverywhere(manager: EntityManager, entryId: string): Promise<number> {
  // Lock the exhibitions concerned in id order, so concurrent changes cannot deadlock, before renumbering their works.
  const locked: { id: string; slug: string; status: ExhibitionStatus }[] = await manager.query(
    `SELECT id, slug, status FROM ${SCHEMA}.exhibition WHERE id IN
       (SELECT exhibition_id FROM ${SCHEMA}.exhibited_work WHERE entry_id = $1 AND removed_at IS NULL)
      ORDER BY id FOR UPDATE`,
    [entryId],
  );
  if (locked.length === 0) return 0;
  await manager.query(
    `UPDATE ${SCHEMA}.exhibited_work SET removed_at = now(), removal_reason = $2, position = NULL WHERE entry_id = $1 AND removed_at IS NULL`,
    [entryId, WorkRemovalReason.ENTRY_LEFT_COMPETITION],
  );
  await compactPositions(
    manager,
    locked.map((row) => row.id),
  );
  for (const exhibition of locked) {
    if (grantsPublicly(exhibition.status)) await requestPublicGrants(manager, exhibition);
    await recordExhibitionChanged(manager, exhibition);
  }
  return locked.length;
}

const entryLeft: EventHandler<"entry.withdrawn" | "entry.disqualified"> = async (event, manager) => {
  if (isUuid(event.payload.entryId)) await removeEntryEverywhere(manager, event.payload.entryId);
};

export const exhibitionsSubscriptions: EventHandlers = {
  "entry.withdrawn": entryLeft,
  "entry.disqualified": entryLeft,
  "entry-grants.applied": async (event, manager) => {
    const exhibitionId = exhibitionOfSource(event.payload.source);
    if (exhibitionId) await grantsApplied(manager, exhibitionId, event.payload.version, event.payload.organizationIds);
  },
};
