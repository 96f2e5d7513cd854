// The SQL of entries that the repository does not write for us: creating one once per idempotency key, what a
// submission must count of its media, and the statistics organisers and partners read. The rules (who may, the
// entrant cap, the submission window, what a complete entry is) live in entry.service.ts; values travel as parameters.
import { DataSource, EntityManager } from "typeorm";
import { EntryKind, EntryStatus, MediaStatus } from "./entry.entity";
import { EntryStatsGroup } from "./entry.inputs";
import type { EntryStat } from "./entry.types";

const SCHEMA = "entries";

export interface NewEntryRow {
  competitionId: string;
  venueId: string;
  organizationId: string | undefined;
  entrantId: string;
  theme: string;
  kind: EntryKind;
  title: string;
  description: string | null | undefined;
  creditName: string;
  country: string;
  consentToPublication: boolean;
  idempotencyKey: string | null;
}

/** Inserts a DRAFT entry; undefined when another with the same idempotency key (of the same venue) is already there. */
export async function insertEntry(manager: EntityManager, row: NewEntryRow): Promise<string | undefined> {
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO ${SCHEMA}.entry (competition_id, venue_id, organization_id, entrant_id, theme_code, kind, status, title, description,
       credit_name, country, consent_to_publication, consent_to_rules, declares_no_generative_ai, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $13, $7, $8, $9, $10, $11, true, true, $12)
     ON CONFLICT ON CONSTRAINT entry_idempotency_key_unique DO NOTHING
     RETURNING id`,
    [
      row.competitionId,
      row.venueId,
      row.organizationId,
      row.entrantId,
      row.theme,
      row.kind,
      row.title,
      row.description,
      row.creditName,
      row.country,
      row.consentToPublication,
      row.idempotencyKey,
      EntryStatus.DRAFT,
    ],
  );
  return inserted[0]?.id;
}

/** The entry a venue created with this idempotency key, if any. */
export async function entryIdByIdempotencyKey(manager: EntityManager, venueId: string, key: string): Promise<string | undefined> {
  const rows: { id: string }[] = await manager.query(`SELECT id FROM ${SCHEMA}.entry WHERE venue_id = $1 AND idempotency_key = $2`, [venueId, key]);
  return rows[0]?.id;
}

/** What a submission checks of an entry's media: its photo and video counts, and its video's status and failure. */
export async function mediaOfEntry(
  manager: EntityManager,
  entryId: string,
): Promise<{ photos: number; videos: number; videoStatus: MediaStatus | null; failureReason: string | null }> {
  const [row] = await manager.query(
    `SELECT (SELECT count(*)::int FROM ${SCHEMA}.photo WHERE entry_id = $1) AS photos,
            (SELECT count(*)::int FROM ${SCHEMA}.micro_video WHERE entry_id = $1) AS videos,
            (SELECT status FROM ${SCHEMA}.micro_video WHERE entry_id = $1) AS "videoStatus",
            (SELECT failure_reason FROM ${SCHEMA}.micro_video WHERE entry_id = $1) AS "failureReason"`,
    [entryId],
  );
  return row;
}

/** The grouping column of each statistics view (a fixed expression per group, never caller text). */
const STATS_KEY: Record<EntryStatsGroup, string> = {
  [EntryStatsGroup.VENUE]: "entry.venue_id::text",
  [EntryStatsGroup.THEME]: "entry.theme_code",
  [EntryStatsGroup.COUNTRY]: "entry.country",
  [EntryStatsGroup.KIND]: "entry.kind",
  [EntryStatsGroup.STATUS]: "entry.status",
};

/** Entries, submitted entries, photos and videos per group, of every organisation or of one. */
export function entryStats(db: DataSource, groupBy: EntryStatsGroup, organizationId: string | null): Promise<EntryStat[]> {
  const params: unknown[] = organizationId ? [EntryStatus.SUBMITTED, organizationId] : [EntryStatus.SUBMITTED];
  const scope = organizationId ? "WHERE entry.organization_id = $2" : "";
  return db.query(
    `SELECT ${STATS_KEY[groupBy]} AS key, count(*)::int AS count,
            (count(*) FILTER (WHERE entry.status = $1))::int AS submitted,
            COALESCE(sum(photo_counts.photos), 0)::int AS photos,
            count(video.id)::int AS videos
       FROM ${SCHEMA}.entry entry
       LEFT JOIN (SELECT entry_id, count(*) AS photos FROM ${SCHEMA}.photo GROUP BY entry_id) photo_counts ON photo_counts.entry_id = entry.id
       LEFT JOIN ${SCHEMA}.micro_video video ON video.entry_id = entry.id
       ${scope}
      GROUP BY 1 ORDER BY count DESC, key`,
    params,
  );
}
