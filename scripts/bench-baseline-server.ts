// B0, the benchmark's physical limit: each query's data from one hand-written SQL statement that builds the
// JSON answer in PostgreSQL, returned by a bare node:http handler (no GraphQL, no framework, no federation).
// Cross-schema SQL is allowed here only: it is the reference the federated system is measured against.
// Started by npm run bench as its own process: node dist/scripts/bench-baseline-server.js <port> <databaseUrl> <parameters JSON>
import "reflect-metadata";
import http from "node:http";
import { Pool } from "pg";
import { rankedRowsOf } from "../subgraphs/judging/leaderboard/leaderboard.store";
import { JudgingRound } from "../subgraphs/judging/round/round.entity";

export interface BaselineParameters {
  exhibitionSlug: string;
  venueId: string;
  entryId: string;
  roundId: string;
  /** The open round Q4open ranks. */
  openRoundId: string;
  theme: string;
}

const AWARD_ORDER = "CASE award.tier WHEN 'GOLD' THEN 1 WHEN 'SILVER' THEN 2 WHEN 'BRONZE' THEN 3 ELSE 4 END, award.theme, award.position, award.id";
/** The public sees a submitted entry only when something public (an award, an exhibition) granted it. */
const PUBLIC_ENTRY = `entry.status = 'SUBMITTED' AND EXISTS (SELECT 1 FROM entries.entry_grant grant_row WHERE grant_row.entry_id = entry.id AND grant_row.audience = 'public')`;

/** Q1: the public exhibition page, 100 works with entry, credit, country, venue and published awards. */
const Q1 = `
SELECT json_build_object('data', json_build_object('exhibition', json_build_object('works', json_build_object('edges',
  COALESCE((SELECT json_agg(json_build_object('node', json_build_object('entry',
      CASE WHEN entry.id IS NULL THEN NULL ELSE json_build_object(
        'id', entry.id, 'title', entry.title,
        'creditName', CASE WHEN entry.consent_to_publication THEN entry.credit_name END,
        'country', CASE WHEN entry.consent_to_publication THEN entry.country END,
        'venue', json_build_object('code', venue.code, 'name', venue.name),
        'awards', COALESCE(awards.list, '[]'::json)) END)) ORDER BY work.position, work.id)
    FROM (SELECT * FROM exhibitions.exhibited_work work WHERE work.exhibition_id = exhibition.id AND work.removed_at IS NULL ORDER BY work.position, work.id LIMIT 100) work
    LEFT JOIN entries.entry entry ON entry.id = work.entry_id AND ${PUBLIC_ENTRY}
    LEFT JOIN venues.venue venue ON venue.id = entry.venue_id
    LEFT JOIN LATERAL (SELECT json_agg(json_build_object('tier', award.tier, 'theme', award.theme) ORDER BY ${AWARD_ORDER}) AS list
                         FROM judging.award award WHERE award.entry_id = entry.id AND award.published_at IS NOT NULL) awards ON true), '[]'::json)))))::text AS body
  FROM exhibitions.exhibition exhibition WHERE exhibition.slug = $1 AND exhibition.status = 'PUBLISHED'`;

/** Q2: a venue's 50 latest entries (the venue sees them all) with published awards and published exhibitions. */
const Q2 = `
SELECT json_build_object('data', json_build_object('venue', json_build_object('entries', json_build_object('edges',
  COALESCE((SELECT json_agg(json_build_object('node', json_build_object('id', entry.id, 'title', entry.title, 'status', entry.status,
      'awards', COALESCE(awards.list, '[]'::json), 'exhibitions', COALESCE(shown.list, '[]'::json))) ORDER BY entry.created_at DESC, entry.id DESC)
    FROM (SELECT * FROM entries.entry entry WHERE entry.venue_id = venue.id ORDER BY entry.created_at DESC, entry.id DESC LIMIT 50) entry
    LEFT JOIN LATERAL (SELECT json_agg(json_build_object('tier', award.tier) ORDER BY ${AWARD_ORDER}) AS list
                         FROM judging.award award WHERE award.entry_id = entry.id AND award.published_at IS NOT NULL) awards ON true
    LEFT JOIN LATERAL (SELECT json_agg(json_build_object('slug', exhibition.slug) ORDER BY exhibition.created_at DESC, exhibition.id DESC) AS list
                         FROM exhibitions.exhibited_work work JOIN exhibitions.exhibition exhibition ON exhibition.id = work.exhibition_id
                        WHERE work.entry_id = entry.id AND work.removed_at IS NULL AND exhibition.status = 'PUBLISHED') shown ON true), '[]'::json)))))::text AS body
  FROM venues.venue venue WHERE venue.id = $1`;

/** Q3: one entry (organiser) with its theme, photos and venue. */
const Q3 = `
SELECT json_build_object('data', json_build_object('entry', json_build_object(
  'id', entry.id, 'title', entry.title, 'status', entry.status, 'kind', entry.kind, 'creditName', entry.credit_name, 'country', entry.country,
  'theme', json_build_object('code', entry.theme_code),
  'photos', COALESCE((SELECT json_agg(json_build_object('position', photo.position, 'width', photo.width, 'height', photo.height) ORDER BY photo.position)
                        FROM entries.photo photo WHERE photo.entry_id = entry.id), '[]'::json),
  'venue', json_build_object('code', venue.code, 'name', venue.name))))::text AS body
  FROM entries.entry entry JOIN venues.venue venue ON venue.id = entry.venue_id WHERE entry.id = $1`;

/**
 * Q4: the leaderboard of one theme, first 100, with each entry's title. The ranking is the judging subgraph's
 * (a pure function of the scores, leaderboard.ranking.ts), computed once at start as the subgraph keeps a closed
 * round's; each request is then one statement that joins the page to the entries' titles. Q4open: the same for the
 * open round, whose ranking is made on each request as the subgraph makes it (the theme's entries and scores and
 * the judges' kept statistics), then the same statement.
 */
async function q4(pool: Pool, round: JudgingRound, theme: string): Promise<{ sql: string; params: unknown[] }> {
  const rows = await rankedRowsOf({ query: async (sql, params) => (await pool.query(sql, params)).rows }, round, theme);
  const page = rows.slice(0, 100).map((row, index) => ({ ...row, rank: index + 1 }));
  return {
    sql: `WITH page AS (
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS page(rank int, "entryId" uuid, "normalizedScore" float8, "meanScore" float8, "judgeCount" int, accepted boolean)
      )
      SELECT json_build_object('data', json_build_object('leaderboard', json_build_object('totalCount', $2::int, 'edges',
        COALESCE((SELECT json_agg(json_build_object('node', json_build_object('rank', page.rank, 'normalizedScore', page."normalizedScore", 'meanScore', page."meanScore",
            'judgeCount', page."judgeCount", 'accepted', page.accepted, 'entry', json_build_object('id', entry.id, 'title', entry.title))) ORDER BY page.rank)
          FROM page JOIN entries.entry entry ON entry.id = page."entryId"), '[]'::json))))::text AS body`,
    params: [JSON.stringify(page), rows.length],
  };
}

async function main(): Promise<void> {
  const [port, databaseUrl, json] = process.argv.slice(2);
  const parameters = JSON.parse(json) as BaselineParameters;
  const pool = new Pool({ connectionString: databaseUrl, max: 10, application_name: "image-china-bench-b0" });
  const roundOf = async (id: string) =>
    (
      await pool.query(
        `SELECT id, kind, scale_min::float8 AS "scaleMin", scale_max::float8 AS "scaleMax", acceptance_cap_percent::float8 AS "acceptanceCapPercent", pass_votes AS "passVotes" FROM judging.judging_round WHERE id = $1`,
        [id],
      )
    ).rows[0] as JudgingRound;
  const [round, openRound] = await Promise.all([roundOf(parameters.roundId), roundOf(parameters.openRoundId)]);
  const leaderboard = await q4(pool, round, parameters.theme);
  const fixed = (statement: { sql: string; params: unknown[] }) => async () => statement;
  const statements: Record<string, () => Promise<{ sql: string; params: unknown[] }>> = {
    "/Q1": fixed({ sql: Q1, params: [parameters.exhibitionSlug] }),
    "/Q2": fixed({ sql: Q2, params: [parameters.venueId] }),
    "/Q3": fixed({ sql: Q3, params: [parameters.entryId] }),
    "/Q4": fixed(leaderboard),
    "/Q4open": () => q4(pool, openRound, parameters.theme),
  };
  let served = 0;
  const server = http.createServer(async (request, response) => {
    if (request.url === "/metrics") {
      const cpu = process.cpuUsage();
      response.setHeader("content-type", "application/json");
      response.end(
        JSON.stringify({
          service: "b0",
          graphqlRequests: served,
          sqlStatements: served,
          cpuUserMicros: cpu.user,
          cpuSystemMicros: cpu.system,
          rssBytes: process.memoryUsage.rss(),
        }),
      );
      return;
    }
    const statement = statements[request.url ?? ""];
    if (!statement) {
      response.statusCode = 404;
      response.end();
      return;
    }
    // The request body is ignored (the parameters are fixed), but read so keep-alive connections stay usable.
    request.resume();
    try {
      const { sql, params } = await statement();
      const { rows } = await pool.query({ text: sql, values: params, name: request.url!.slice(1) });
      served += 1;
      response.setHeader("content-type", "application/json");
      response.end(rows[0]?.body ?? `{"data":null}`);
    } catch (error) {
      response.statusCode = 500;
      response.end(JSON.stringify({ errors: [{ message: String(error) }] }));
    }
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(port), "127.0.0.1", () => process.stdout.write(`b0 listening on ${port}\n`));
  process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
