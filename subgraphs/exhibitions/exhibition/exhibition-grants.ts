// Keeps the entries subgraph's public grants equal to the works a published exhibition shows, without waiting for
// it: a change records an entry-grants.requested event in its own transaction (the exhibition's row is locked, so
// requests for one exhibition are numbered in commit order), and entry-grants.applied moves the exhibition on:
// PUBLISHING → PUBLISHED, and works added to a published exhibition show once their grant is applied.
import type { EntityManager } from "typeorm";
import { recordEvent } from "../../../lib/events/outbox";
import { Exhibition, ExhibitionStatus } from "./exhibition.entity";

const SCHEMA = "exhibitions";

/** Public grants are kept while an exhibition is (being) published; archived and draft exhibitions grant nothing. */
export const grantsPublicly = (status: ExhibitionStatus): boolean => status === ExhibitionStatus.PUBLISHING || status === ExhibitionStatus.PUBLISHED;

export const exhibitionGrantSource = (exhibitionId: string) => `exhibition:${exhibitionId}`;

/** The id in an exhibition grant source, or null for another source. */
export function exhibitionOfSource(source: string): string | null {
  const match = /^exhibition:([0-9a-f-]{36})$/.exec(source);
  return match ? match[1] : null;
}

/** The next request version: works added from now on carry it and show once it is applied. */
export async function nextGrantVersion(manager: EntityManager): Promise<number> {
  const [row] = await manager.query(`SELECT nextval('${SCHEMA}.grant_version') AS version`);
  return Number(row.version);
}

/**
 * Asks the entries subgraph to make exactly the works on show public (nothing, unless the exhibition is being
 * published or is public). Call with the exhibition's row locked, after the change; returns the request's version.
 */
export async function requestPublicGrants(manager: EntityManager, exhibition: Pick<Exhibition, "id" | "status">, version?: number): Promise<number> {
  const grantVersion = version ?? (await nextGrantVersion(manager));
  const rows: { entry_id: string }[] = grantsPublicly(exhibition.status)
    ? await manager.query(`SELECT entry_id FROM ${SCHEMA}.exhibited_work WHERE exhibition_id = $1 AND removed_at IS NULL ORDER BY position`, [exhibition.id])
    : [];
  await manager.query(`UPDATE ${SCHEMA}.exhibition SET grants_requested = $2 WHERE id = $1`, [exhibition.id, grantVersion]);
  await recordEvent(manager, SCHEMA, {
    type: "entry-grants.requested",
    organizationIds: [],
    payload: { source: exhibitionGrantSource(exhibition.id), version: grantVersion, grants: [{ public: true, entryIds: rows.map((row) => row.entry_id) }] },
  });
  return grantVersion;
}

/** What the public sees of a published exhibition changed (its cached pages are stale). */
export async function recordExhibitionChanged(manager: EntityManager, exhibition: Pick<Exhibition, "id" | "slug" | "status">): Promise<void> {
  if (exhibition.status !== ExhibitionStatus.PUBLISHED) return;
  await recordEvent(manager, SCHEMA, { type: "exhibition.changed", organizationIds: [], payload: { exhibitionId: exhibition.id, slug: exhibition.slug } });
}

/**
 * The entries subgraph applied request `version` for the exhibition: works up to it may show, and a PUBLISHING
 * exhibition whose latest request is applied becomes PUBLISHED (partners hear of it: exhibition.published).
 */
export async function grantsApplied(manager: EntityManager, exhibitionId: string, version: number, organizationIds: string[]): Promise<void> {
  const rows: { id: string; slug: string; status: ExhibitionStatus; grants_requested: string; grants_applied: string; published_at: Date | null }[] =
    await manager.query(`SELECT id, slug, status, grants_requested, grants_applied, published_at FROM ${SCHEMA}.exhibition WHERE id = $1 FOR UPDATE`, [
      exhibitionId,
    ]);
  const exhibition = rows[0];
  if (!exhibition || Number(exhibition.grants_applied) >= version) return;
  const complete = version >= Number(exhibition.grants_requested);
  const publishes = exhibition.status === ExhibitionStatus.PUBLISHING && complete;
  await manager.query(
    `UPDATE ${SCHEMA}.exhibition SET grants_applied = $2, status = CASE WHEN $3 THEN $4 ELSE status END,
            published_at = CASE WHEN $3 THEN now() ELSE published_at END, updated_at = now()
      WHERE id = $1`,
    [exhibitionId, version, publishes, ExhibitionStatus.PUBLISHED],
  );
  if (publishes) {
    const [{ works }] = await manager.query(`SELECT count(*)::int AS works FROM ${SCHEMA}.exhibited_work WHERE exhibition_id = $1 AND removed_at IS NULL`, [
      exhibitionId,
    ]);
    await recordEvent(manager, SCHEMA, { type: "exhibition.published", organizationIds, payload: { exhibitionId, slug: exhibition.slug, works } });
  } else if (exhibition.status === ExhibitionStatus.PUBLISHED) {
    // Works waiting for this grant show from now on.
    await recordExhibitionChanged(manager, exhibition);
  }
}
