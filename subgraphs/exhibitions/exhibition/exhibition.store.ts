// The SQL of exhibitions and their host venues. Rules live in exhibition.service.ts; values travel as parameters.
import { EntityManager, SelectQueryBuilder } from "typeorm";
import { keysetPage, Page, PageArgs } from "../../../lib/pagination";
import { Exhibition, ExhibitionHostVenue, ExhibitionKind, ExhibitionStatus } from "./exhibition.entity";

const SCHEMA = "exhibitions";

/** Narrows `query` (over alias "exhibition") by the filter and answers one page, newest first. */
export function exhibitionPage(
  query: SelectQueryBuilder<Exhibition>,
  filter: { status?: ExhibitionStatus | null; kind?: ExhibitionKind | null; hostVenueId?: string },
  args: PageArgs,
): Promise<Page<Exhibition>> {
  if (filter.status) query.andWhere("exhibition.status = :status", { status: filter.status });
  if (filter.kind) query.andWhere("exhibition.kind = :kind", { kind: filter.kind });
  if (filter.hostVenueId) {
    query.andWhere(`EXISTS (SELECT 1 FROM ${SCHEMA}.exhibition_host_venue host WHERE host.exhibition_id = exhibition.id AND host.venue_id = :hostVenueId)`, {
      hostVenueId: filter.hostVenueId,
    });
  }
  return keysetPage(
    query,
    { columns: ["exhibition.created_at", "exhibition.id"], direction: "DESC", cursorOf: (row) => [row.createdAt.toISOString(), row.id] },
    args,
  );
}

/** The exhibition, locked until the transaction ends; undefined when there is none. */
export async function lockExhibition(manager: EntityManager, id: string): Promise<Exhibition | undefined> {
  const exhibition = await manager
    .getRepository(Exhibition)
    .createQueryBuilder("exhibition")
    .setLock("pessimistic_write")
    .where("exhibition.id = :id", { id })
    .getOne();
  return exhibition ?? undefined;
}

/** Inserts an exhibition; returns its id. */
export async function insertExhibition(manager: EntityManager, values: Partial<Exhibition>): Promise<string> {
  const { identifiers } = await manager.insert(Exhibition, values);
  return identifiers[0].id as string;
}

/** The entries of the exhibition's works on show, in their order. */
export async function currentEntryIds(manager: EntityManager, exhibitionId: string): Promise<string[]> {
  const rows: { entry_id: string }[] = await manager.query(
    `SELECT entry_id FROM ${SCHEMA}.exhibited_work WHERE exhibition_id = $1 AND removed_at IS NULL ORDER BY position`,
    [exhibitionId],
  );
  return rows.map((row) => row.entry_id);
}

/** Replaces the exhibition's host venues, keeping the order given. */
export async function saveHostVenues(manager: EntityManager, exhibitionId: string, venueIds: readonly string[]): Promise<void> {
  await manager.delete(ExhibitionHostVenue, { exhibitionId });
  if (venueIds.length)
    await manager.insert(
      ExhibitionHostVenue,
      venueIds.map((venueId, index) => ({ exhibitionId, venueId, position: index + 1 })),
    );
}

export async function hostVenueCount(manager: EntityManager, exhibitionId: string): Promise<number> {
  const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM ${SCHEMA}.exhibition_host_venue WHERE exhibition_id = $1`, [exhibitionId]);
  return count;
}
