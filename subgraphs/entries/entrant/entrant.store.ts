// The SQL of entrants: one record per organisation and e-mail, the competition-wide per-theme count by e-mail,
// and the organisers' record of how an e-mail entered by several organisations was resolved.
import type { EntityManager } from "typeorm";
import type { ThemeCode } from "../../../lib/themes";
import { EntryStatus } from "../entry/entry.entity";

const SCHEMA = "entries";

export interface EntrantValues {
  competitionId: string;
  organizationId: string;
  name: string;
  email: string;
  country: string;
  phone: string | null;
}

export enum EntrantCollisionResolution {
  SAME_PERSON = "SAME_PERSON",
  DIFFERENT_PEOPLE = "DIFFERENT_PEOPLE",
}

export interface CollisionRow {
  email: string;
  resolution: EntrantCollisionResolution | null;
  note: string | null;
  resolvedAt: Date | null;
}

export interface CollidingEntrantRow {
  email: string;
  entrantId: string;
  organizationId: string;
  entries: number;
}

/** Serialises everything that counts one e-mail's entries (the cap), whichever organisation enters it. */
export async function lockEmail(manager: EntityManager, competitionId: string, email: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${SCHEMA}.entrant:${competitionId}:${email}`]);
}

/** Creates or updates the organisation's own record for the e-mail; another organisation's record is never touched. */
export async function upsertEntrant(manager: EntityManager, values: EntrantValues): Promise<string> {
  const [{ id }] = await manager.query(
    `INSERT INTO ${SCHEMA}.entrant (competition_id, organization_id, name, email, country, phone) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT ON CONSTRAINT entrant_tenant_email_unique
     DO UPDATE SET name = EXCLUDED.name, country = EXCLUDED.country, phone = COALESCE(EXCLUDED.phone, ${SCHEMA}.entrant.phone)
     RETURNING id`,
    [values.competitionId, values.organizationId, values.name, values.email, values.country, values.phone],
  );
  return id;
}

/**
 * Entries (not withdrawn) of the e-mail in the theme that count towards the cap: across every organisation,
 * unless organisers resolved the e-mail as different people, then the organisation's own only.
 */
export async function entriesTowardsCap(
  manager: EntityManager,
  competitionId: string,
  organizationId: string,
  email: string,
  theme: ThemeCode,
): Promise<number> {
  const [{ count }] = await manager.query(
    `SELECT count(*)::int AS count
       FROM ${SCHEMA}.entry entry JOIN ${SCHEMA}.entrant entrant ON entrant.id = entry.entrant_id
      WHERE entrant.competition_id = $1 AND entrant.email = $2 AND entry.theme_code = $3 AND entry.status <> $5
        AND (entrant.organization_id = $4 OR NOT EXISTS (
              SELECT 1 FROM ${SCHEMA}.entrant_collision resolved
               WHERE resolved.competition_id = $1 AND resolved.email = $2 AND resolved.resolution = $6
                 AND $4 = ANY(resolved.organization_ids)))`,
    [competitionId, email, theme, organizationId, EntryStatus.WITHDRAWN, EntrantCollisionResolution.DIFFERENT_PEOPLE],
  );
  return count;
}

/**
 * E-mails entered by more than one organisation, with the organisations that entered them. A resolution covers the
 * organisations it was recorded for: once another one enters the address, it is unresolved again.
 */
const COLLIDING = `SELECT entrant.email, array_agg(DISTINCT entrant.organization_id) AS organizations FROM ${SCHEMA}.entrant entrant
  WHERE entrant.competition_id = $1
  GROUP BY entrant.email HAVING count(DISTINCT entrant.organization_id) > 1`;
const COLLISION_COLUMNS = `colliding.email,
  CASE WHEN colliding.organizations <@ resolved.organization_ids THEN resolved.resolution END AS resolution,
  CASE WHEN colliding.organizations <@ resolved.organization_ids THEN resolved.note END AS note,
  CASE WHEN colliding.organizations <@ resolved.organization_ids THEN resolved.resolved_at END AS "resolvedAt"`;
const RESOLVED_JOIN = `LEFT JOIN ${SCHEMA}.entrant_collision resolved ON resolved.competition_id = $1 AND resolved.email = colliding.email`;
const UNRESOLVED_ONLY = `($2::boolean IS NOT TRUE OR resolved.email IS NULL OR NOT (colliding.organizations <@ resolved.organization_ids))`;

/** E-mails entered by more than one organisation, by e-mail, from `after`; `limit` of them. */
export async function collisions(
  manager: EntityManager,
  competitionId: string,
  unresolvedOnly: boolean,
  after: string | null,
  limit: number,
): Promise<CollisionRow[]> {
  return manager.query(
    `SELECT ${COLLISION_COLUMNS}
       FROM (${COLLIDING}) colliding ${RESOLVED_JOIN}
      WHERE ${UNRESOLVED_ONLY} AND ($3::text IS NULL OR colliding.email > $3)
      ORDER BY colliding.email LIMIT $4`,
    [competitionId, unresolvedOnly, after, limit],
  );
}

export async function countCollisions(manager: EntityManager, competitionId: string, unresolvedOnly: boolean): Promise<number> {
  const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM (${COLLIDING}) colliding ${RESOLVED_JOIN} WHERE ${UNRESOLVED_ONLY}`, [
    competitionId,
    unresolvedOnly,
  ]);
  return count;
}

/** Each organisation's record for the given e-mails, with how many entries it made with it. */
export async function collidingEntrants(manager: EntityManager, competitionId: string, emails: readonly string[]): Promise<CollidingEntrantRow[]> {
  return manager.query(
    `SELECT entrant.email, entrant.id AS "entrantId", entrant.organization_id AS "organizationId",
            (SELECT count(*)::int FROM ${SCHEMA}.entry entry WHERE entry.entrant_id = entrant.id) AS entries
       FROM ${SCHEMA}.entrant entrant
      WHERE entrant.competition_id = $1 AND entrant.email = ANY($2::text[])
      ORDER BY entrant.email, entrant.created_at, entrant.id`,
    [competitionId, [...emails]],
  );
}

export async function recordResolution(
  manager: EntityManager,
  competitionId: string,
  email: string,
  resolution: EntrantCollisionResolution,
  note: string | null,
  resolvedBy: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO ${SCHEMA}.entrant_collision (competition_id, email, resolution, note, resolved_by, organization_ids)
     SELECT $1, $2, $3, $4, $5, array_agg(DISTINCT entrant.organization_id) FROM ${SCHEMA}.entrant entrant WHERE entrant.competition_id = $1 AND entrant.email = $2
     ON CONFLICT (competition_id, email) DO UPDATE SET resolution = EXCLUDED.resolution, note = EXCLUDED.note,
       resolved_by = EXCLUDED.resolved_by, organization_ids = EXCLUDED.organization_ids, resolved_at = date_trunc('milliseconds', now())`,
    [competitionId, email, resolution, note, resolvedBy],
  );
}

/** One e-mail's collision (with its resolution), or undefined when a single organisation entered it. */
export async function collisionOf(manager: EntityManager, competitionId: string, email: string): Promise<CollisionRow | undefined> {
  const rows: CollisionRow[] = await manager.query(`SELECT ${COLLISION_COLUMNS} FROM (${COLLIDING}) colliding ${RESOLVED_JOIN} WHERE colliding.email = $2`, [
    competitionId,
    email,
  ]);
  return rows[0];
}
