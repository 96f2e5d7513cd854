// GET /exports/entries.csv: the entries an organiser (all) or a partner (its organisation's) may export,
// streamed in batches so the export of 39,000 entries never sits in memory.
import type { Request, Response } from "express";
import type { DataSource } from "typeorm";
import { Viewer } from "../../../lib/auth";
import { entriesPolicy, organizationScope } from "../entries.visibility";
import { requestContextFrom } from "../../../lib/context";
import { logger } from "../../../lib/logger";
import { CSV_DELIMITERS, csvChunk, csvDelimiterNamed } from "./entry-export.format";

const SCHEMA = "entries";

const BATCH = 1000;
/** The export's columns, in order; the header line names them. */
export const ENTRY_EXPORT_COLUMNS = [
  "id",
  "created_at",
  "submitted_at",
  "status",
  "kind",
  "theme",
  "title",
  "venue_id",
  "organization_id",
  "entrant_name",
  "entrant_email",
  "entrant_country",
  "credit_name",
  "consent_to_publication",
  "photos",
  "video_seconds",
];

export function exportEntriesRoute(dataSource: () => DataSource) {
  return async (request: Request, response: Response): Promise<void> => {
    let viewer: Viewer | undefined;
    try {
      viewer = requestContextFrom(request).viewer;
    } catch {
      viewer = undefined;
    }
    if (!entriesPolicy.can(viewer, "entry:export")) {
      response.status(viewer ? 403 : 401).json({
        errors: [{ message: "Exports need an organiser or partner token.", extensions: { code: viewer ? "FORBIDDEN" : "UNAUTHENTICATED" } }],
      });
      return;
    }
    const delimiter = csvDelimiterNamed(request.query.delimiter);
    if (!delimiter) {
      response.status(400).json({
        errors: [
          {
            message: `delimiter must be one of ${Object.keys(CSV_DELIMITERS).join(", ")}.`,
            extensions: { code: "BAD_USER_INPUT", argumentName: "delimiter", accepted: Object.keys(CSV_DELIMITERS) },
          },
        ],
      });
      return;
    }
    const scope = organizationScope(viewer!);
    response.setHeader("content-type", "text/csv; charset=utf-8");
    response.setHeader("content-disposition", `attachment; filename="entries-${new Date().toISOString().slice(0, 10)}.csv"`);
    let first = true;
    let after: string | null = null;
    try {
      for (;;) {
        const rows: Record<string, unknown>[] = await dataSource().query(
          `SELECT entry.id, entry.created_at, entry.submitted_at, entry.status, entry.kind, entry.theme_code AS theme, entry.title,
                  entry.venue_id, entry.organization_id, entrant.name AS entrant_name, entrant.email AS entrant_email,
                  entrant.country AS entrant_country, entry.credit_name, entry.consent_to_publication,
                  (SELECT count(*) FROM ${SCHEMA}.photo photo WHERE photo.entry_id = entry.id)::int AS photos,
                  (SELECT duration_seconds FROM ${SCHEMA}.micro_video video WHERE video.entry_id = entry.id) AS video_seconds
             FROM ${SCHEMA}.entry entry JOIN ${SCHEMA}.entrant entrant ON entrant.id = entry.entrant_id
            WHERE ($1::uuid IS NULL OR entry.organization_id = $1) AND ($2::uuid IS NULL OR entry.id > $2)
            ORDER BY entry.id LIMIT ${BATCH}`,
          [scope, after],
        );
        if (rows.length === 0 && !first) break;
        const chunk = csvChunk(ENTRY_EXPORT_COLUMNS, rows, { delimiter, first });
        first = false;
        if (!response.write(chunk)) await new Promise((resolve) => response.once("drain", resolve));
        if (rows.length === 0) break;
        after = rows[rows.length - 1].id as string;
        if (rows.length < BATCH) break;
      }
      response.end();
    } catch (error) {
      logger.error("export failed", { error });
      response.destroy(error as Error);
    }
  };
}
