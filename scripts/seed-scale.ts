// npm run seed:scale: the competition at full size, for the benchmark. 39,000 entries (single photos and photo
// sets adding up to 66,000 photos, and 630 micro-videos) through the 55 demo venues of 31 organisations, entrants
// from 12 countries, a closed SCORE round with three judges' scores on every submitted entry and an open one with
// 70% of them (each with its hash-chained score log), published awards per theme and per division, and a published exhibition of 100 works.
//
// Rows go in with COPY … FROM STDIN, into each subgraph's own schema through that subgraph's own DataSource
// (one owner per table), after its migrations. Media rows share the few generated demo files.
//
//   npm run seed:scale                       embedded PostgreSQL under DATA_DIR/scale (rebuilt each time)
//   SCALE_DATABASE_URL=postgres://… npm run seed:scale -- --reset    an existing database (--reset drops the four schemas)
//   options: --postgres-port 54830, --entries 39000 (smaller runs for a quick try)
import "reflect-metadata";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Client, PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { DataSource } from "typeorm";
import { config, setConfig, SUBGRAPH_NAMES, SubgraphName } from "../lib/config";
import { openDatabase } from "../lib/database";
import { logger } from "../lib/logger";
import { ThemeCode } from "../lib/themes";
import { migrationsBySubgraph } from "../migrations";
import { subgraphDefinitions } from "../subgraphs";
import { eventHash, GENESIS_HASH } from "../subgraphs/judging/score/score-log";
import type { RankedRow } from "../subgraphs/judging/leaderboard/leaderboard.ranking";
import { rankedRowsOf } from "../subgraphs/judging/leaderboard/leaderboard.store";
import { JudgingRound } from "../subgraphs/judging/round/round.entity";
import { ScoreEventKind } from "../subgraphs/judging/score/score.entity";
import { NAMES, THEMES, TITLES } from "./demo-data/entries";
import { DemoMedia, generateDemoMedia } from "./demo-data/media";
import { demoId, pick, seededRandom } from "./demo-data/random";
import { DEMO, DemoVenue, loadDemoVenues } from "./demo-data/venues";
import { flag, hasFlag, openScaleDatabase, SCALE } from "./scale-database";

const ENTRIES = Number(flag("entries", "39000"));
/** 630 micro-videos at full scale; the same share in smaller runs. */
const VIDEOS = Math.round((ENTRIES * 630) / 39_000);
/** Photo sets of 2, 3, 4 and 5 photos in turn, as many as make the photos add up to 66,000 at full scale. */
const PHOTO_SETS = Math.round((ENTRIES * 11_052) / 39_000);
const JUDGES = 30;
const JUDGES_PER_ENTRY = 3;
/** The open round's share of assignments already scored. */
const OPEN_ROUND_SCORED_SHARE = 0.7;
const COMPETITION_ID = demoId("scale:competition");
/** How often each theme is chosen: NATURE is the largest (Q4 ranks it). */
const THEME_WEIGHTS: [ThemeCode, number][] = [
  [ThemeCode.NATURE, 0.27],
  [ThemeCode.FOLK_CULTURE, 0.22],
  [ThemeCode.EXCHANGES, 0.2],
  [ThemeCode.TECHNOLOGY, 0.17],
  [ThemeCode.OVERSEAS, 0.14],
];
const SUBMISSIONS_OPEN = Date.parse("2025-09-01T00:00:00Z");
const SUBMISSIONS_CLOSE = Date.parse("2026-06-30T23:59:59Z");
const ROUND_OPENED = Date.parse("2026-07-06T08:00:00Z");
const ROUND_CLOSED = Date.parse("2026-09-20T16:00:00Z");
const AWARDS_PUBLISHED = new Date("2026-10-10T10:00:00Z");
const EXHIBITION_PUBLISHED = new Date("2026-11-01T00:00:00Z");
const AWARD_TIERS = ["GOLD", "SILVER", "BRONZE", "HONOURABLE_MENTION", "HONOURABLE_MENTION", "HONOURABLE_MENTION"] as const;

interface ScaleEntry {
  id: string;
  venue: DemoVenue;
  entrantId: string;
  theme: ThemeCode;
  kind: "PHOTO_SET" | "SINGLE_PHOTO" | "MICRO_VIDEO";
  photos: number;
  status: "SUBMITTED" | "DRAFT" | "WITHDRAWN";
  consent: boolean;
  country: string;
  creditName: string;
  createdAt: Date;
}

// ---- COPY ----------------------------------------------------------------------------------------------

/** One value in COPY's text format. Arrays are uuid[] (no quoting needed); objects are jsonb. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? "t" : "f";
  if (Array.isArray(value)) return `{${value.join(",")}}`;
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : text;
}

/** Streams rows into a table with COPY … FROM STDIN on the subgraph's own connection; returns the row count. */
async function copyInto(client: PoolClient, table: string, columns: string[], rows: Iterable<unknown[]>): Promise<number> {
  let count = 0;
  function* chunks(): Generator<string> {
    let chunk = "";
    for (const row of rows) {
      chunk += `${row.map(copyValue).join("\t")}\n`;
      count += 1;
      if (chunk.length > 256 * 1024) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN`)));
  return count;
}

/** A connection of the subgraph's own pool (released by the caller). */
async function ownConnection(dataSource: DataSource): Promise<{ client: PoolClient; release: () => Promise<void> }> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  // A bulk load: COPY of 100,000 scores (their checks and triggers included) may outlast the services' statement timeout.
  await client.query("SET statement_timeout = 0");
  return {
    client,
    release: async () => {
      await client.query("RESET statement_timeout");
      await runner.release();
    },
  };
}

// ---- the data ------------------------------------------------------------------------------------------

function chooseTheme(random: () => number): ThemeCode {
  let roll = random();
  for (const [theme, weight] of THEME_WEIGHTS) {
    if (roll < weight) return theme;
    roll -= weight;
  }
  return THEME_WEIGHTS[0][0];
}

/** Entries and entrants, deterministic: the same seed gives the same competition. */
function buildEntries(venues: DemoVenue[]) {
  const random = seededRandom(39_000);
  const lisbon = venues.find((venue) => venue.id === DEMO.lisbonVenueId)!;
  // Venues are not equally busy: a few big ones, many small (weights 1..6), and the Lisbon station gets one entry in 20.
  const venueWeights = venues.map((_venue, index) => 1 + ((index * 7) % 6));
  const totalWeight = venueWeights.reduce((sum, weight) => sum + weight, 0);
  const pickVenue = () => {
    if (random() < 0.05) return lisbon;
    let roll = random() * totalWeight;
    for (let index = 0; index < venues.length; index++) {
      roll -= venueWeights[index];
      if (roll < 0) return venues[index];
    }
    return venues[venues.length - 1];
  };
  // Which entries are micro-videos and which photo sets: spread evenly over the whole run.
  const videoEvery = VIDEOS ? ENTRIES / VIDEOS : Infinity;
  const setEvery = PHOTO_SETS ? (ENTRIES - VIDEOS) / PHOTO_SETS : Infinity;
  let photoEntries = 0;
  let sets = 0;
  const entrants: { id: string; organizationId: string; name: string; email: string; country: string; createdAt: Date }[] = [];
  const lastEntrantOfVenue = new Map<string, { id: string; name: string; country: string }>();
  const entries: ScaleEntry[] = [];
  const span = SUBMISSIONS_CLOSE - SUBMISSIONS_OPEN - 86_400_000;
  for (let index = 0; index < ENTRIES; index++) {
    const venue = pickVenue();
    // Entrants come back: two entries in five are by the venue's previous entrant.
    let entrant = lastEntrantOfVenue.get(venue.id);
    if (!entrant || random() < 0.6) {
      const country =
        venue.country === "CN" && random() < 0.08 ? pick(random, ["PT", "ES", "DE", "RO", "US", "CA", "JP", "TH", "KH", "MY", "EG"]) : venue.country;
      const name = pick(random, NAMES[country] ?? NAMES.CN);
      const email = `${
        name
          .toLowerCase()
          .replace(/[^a-z]+/g, ".")
          .replace(/^\.|\.$/g, "") || "entrant"
      }.${entrants.length}@example.org`;
      entrant = { id: demoId(`scale:entrant:${entrants.length}`), name, country };
      entrants.push({ ...entrant, organizationId: venue.organizationId, email, createdAt: new Date(SUBMISSIONS_OPEN + (index / ENTRIES) * span) });
      lastEntrantOfVenue.set(venue.id, entrant);
    }
    const isVideo = Math.floor((index + 1) / videoEvery) > Math.floor(index / videoEvery);
    let kind: ScaleEntry["kind"] = "MICRO_VIDEO";
    let photos = 0;
    if (!isVideo) {
      photoEntries += 1;
      if (sets < PHOTO_SETS && Math.floor(photoEntries / setEvery) > sets) {
        kind = "PHOTO_SET";
        photos = 2 + (sets % 4);
        sets += 1;
      } else {
        kind = "SINGLE_PHOTO";
        photos = 1;
      }
    }
    const roll = random();
    entries.push({
      id: SCALE.entryId(index),
      venue,
      entrantId: entrant.id,
      theme: chooseTheme(random),
      kind,
      photos,
      status: roll < 0.98 ? "SUBMITTED" : roll < 0.99 ? "DRAFT" : "WITHDRAWN",
      consent: random() < 0.93,
      country: entrant.country,
      creditName: entrant.name,
      // Newest last: the index orders the submissions in time, with up to an hour of jitter.
      createdAt: new Date(SUBMISSIONS_OPEN + Math.floor((index / ENTRIES) * span + random() * 3_600_000)),
    });
  }
  return { entries, entrants };
}

async function loadEntries(
  dataSource: DataSource,
  entries: ScaleEntry[],
  entrants: ReturnType<typeof buildEntries>["entrants"],
  media: DemoMedia,
): Promise<Record<string, number>> {
  await dataSource.query(`INSERT INTO entries.competition (id, name, submission_opens_at, submission_closes_at) VALUES ($1, $2, $3, $4)`, [
    COMPETITION_ID,
    '"Image China" Photography and Micro Video Competition',
    new Date(SUBMISSIONS_OPEN),
    new Date(SUBMISSIONS_CLOSE),
  ]);
  for (const [index, theme] of THEMES.entries()) {
    await dataSource.query(`INSERT INTO entries.theme (competition_id, code, name_text, description_text, position) VALUES ($1, $2, $3, $4, $5)`, [
      COMPETITION_ID,
      theme.code,
      theme.name,
      theme.description,
      index + 1,
    ]);
  }
  const { client, release } = await ownConnection(dataSource);
  const random = seededRandom(66_000);
  try {
    const counts: Record<string, number> = {};
    counts.entrants = await copyInto(
      client,
      "entries.entrant",
      ["id", "competition_id", "organization_id", "name", "email", "country", "phone", "created_at"],
      (function* () {
        for (const entrant of entrants)
          yield [entrant.id, COMPETITION_ID, entrant.organizationId, entrant.name, entrant.email, entrant.country, null, entrant.createdAt];
      })(),
    );
    counts.entries = await copyInto(
      client,
      "entries.entry",
      [
        "id",
        "competition_id",
        "venue_id",
        "organization_id",
        "entrant_id",
        "theme_code",
        "kind",
        "status",
        "title",
        "description",
        "credit_name",
        "country",
        "consent_to_publication",
        "consent_to_rules",
        "declares_no_generative_ai",
        "submitted_at",
        "withdrawn_at",
        "created_at",
        "updated_at",
      ],
      (function* () {
        for (const [index, entry] of entries.entries()) {
          const title = `${pick(random, TITLES[entry.theme])} ${index}`;
          const description =
            random() < 0.7 ? `Taken by ${entry.creditName} for the "${THEMES.find((theme) => theme.code === entry.theme)!.name.en}" theme.` : null;
          const submittedAt = entry.status === "SUBMITTED" ? new Date(entry.createdAt.getTime() + 3_600_000) : null;
          const withdrawnAt = entry.status === "WITHDRAWN" ? new Date(entry.createdAt.getTime() + 7_200_000) : null;
          yield [
            entry.id,
            COMPETITION_ID,
            entry.venue.id,
            entry.venue.organizationId,
            entry.entrantId,
            entry.theme,
            entry.kind,
            entry.status,
            title,
            description,
            entry.creditName,
            entry.country,
            entry.consent,
            true,
            true,
            submittedAt,
            withdrawnAt,
            entry.createdAt,
            submittedAt ?? withdrawnAt ?? entry.createdAt,
          ];
        }
      })(),
    );
    counts.photos = await copyInto(
      client,
      "entries.photo",
      ["entry_id", "position", "width", "height", "content_type", "byte_size", "sha256", "original_key", "display_key", "thumbnail_key", "exif", "created_at"],
      (function* () {
        for (const [index, entry] of entries.entries()) {
          for (let position = 1; position <= entry.photos; position++) {
            const photo = media.photo(index * 10 + position);
            yield [
              entry.id,
              position,
              photo.width,
              photo.height,
              photo.contentType,
              photo.byteSize,
              photo.sha256,
              photo.originalKey,
              photo.displayKey,
              photo.thumbnailKey,
              photo.exif,
              entry.createdAt,
            ];
          }
        }
      })(),
    );
    counts.microVideos = await copyInto(
      client,
      "entries.micro_video",
      ["entry_id", "duration_seconds", "width", "height", "content_type", "byte_size", "sha256", "video_key", "poster_key", "status", "created_at"],
      (function* () {
        for (const [index, entry] of entries.entries()) {
          if (entry.kind !== "MICRO_VIDEO") continue;
          const video = media.video(index);
          yield [
            entry.id,
            video.durationSeconds,
            video.width,
            video.height,
            video.contentType,
            video.byteSize,
            video.sha256,
            video.videoKey,
            video.posterKey,
            video.status,
            entry.createdAt,
          ];
        }
      })(),
    );
    // The demo videos are READY: each row gets the streaming files of the demo video it points at.
    const renditionsByKey = new Map<string, ReturnType<DemoMedia["videoRenditions"]>>();
    entries.forEach((entry, index) => entry.kind === "MICRO_VIDEO" && renditionsByKey.set(media.video(index).videoKey, media.videoRenditions(index)));
    for (const [videoKey, renditions] of renditionsByKey) {
      for (const rendition of renditions) {
        await client.query(
          `INSERT INTO entries.video_rendition (video_id, rendition, key, width, height, byte_size)
           SELECT id, $2, $3, $4, $5, $6 FROM entries.micro_video WHERE video_key = $1`,
          [videoKey, rendition.rendition, rendition.key, rendition.width, rendition.height, rendition.byteSize],
        );
      }
    }
    return counts;
  } finally {
    await release();
  }
}

/**
 * Two SCORE rounds over every submitted entry, three judges each: the closed final round, every assignment scored,
 * and an open round (the same judges and entries, scored afresh) where judging is under way: the first
 * OPEN_ROUND_SCORED_SHARE of its assignments are scored (Q4open ranks it). Each round has its hash-chained score log.
 */
async function loadJudging(dataSource: DataSource, entries: ScaleEntry[]): Promise<{ counts: Record<string, number>; judgeGrants: [string, string][] }> {
  const random = seededRandom(117_000);
  const judges = Array.from({ length: JUDGES }, (_unused, index) => ({
    id: index === 0 ? DEMO.demoJudgeId : demoId(`scale:judge:${index}`),
    name: index === 0 ? "Demo Judge" : `Judge ${index + 1}`,
    // Each judge is a little strict or lenient, and spreads scores a little more or less: what normalisation removes.
    bias: (random() - 0.5) * 2,
    spread: 0.7 + random() * 0.6,
  }));
  for (const judge of judges) {
    await dataSource.query(`INSERT INTO judging.judge (id, name, email) VALUES ($1, $2, $3)`, [
      judge.id,
      judge.name,
      `${judge.name.toLowerCase().replace(/\W+/g, ".")}@example.org`,
    ]);
  }
  const judged = entries.filter((entry) => entry.status === "SUBMITTED");
  const judgeGrants: [string, string][] = [];
  const counts: Record<string, number> = {};
  const rounds = [
    { id: SCALE.roundId, name: "Final round", status: "CLOSED", closedAt: new Date(ROUND_CLOSED), scoredShare: 1, prefix: "" },
    { id: SCALE.openRoundId, name: "Open round", status: "OPEN", closedAt: null, scoredShare: OPEN_ROUND_SCORED_SHARE, prefix: "open:" },
  ];
  for (const round of rounds) {
    await dataSource.query(
      `INSERT INTO judging.judging_round (id, name, kind, status, theme, quorum, scale_min, scale_max, scale_step, criteria, acceptance_cap_percent, entries_loaded_at, opened_at, closed_at, closed_with_unscored, created_at)
       VALUES ($1, $2, 'SCORE', $3, NULL, 3, 1, 10, 0.5, $4, 30, $5, $5, $6, 0, $5)`,
      [round.id, round.name, round.status, JSON.stringify([{ code: "overall", name: "Overall", weight: 1 }]), new Date(ROUND_OPENED), round.closedAt],
    );
    const { client, release } = await ownConnection(dataSource);
    const add = (name: string, count: number) => (counts[`${round.prefix}${name}`] = count);
    try {
      add(
        "roundJudges",
        await copyInto(
          client,
          "judging.round_judge",
          ["round_id", "judge_id"],
          judges.map((judge) => [round.id, judge.id]),
        ),
      );
      add(
        "roundEntries",
        await copyInto(
          client,
          "judging.round_entry",
          ["round_id", "entry_id", "theme", "kind", "venue_id", "organization_id", "division_id"],
          judged.map((entry) => [round.id, entry.id, entry.theme, entry.kind, entry.venue.id, entry.venue.organizationId, entry.venue.divisionId]),
        ),
      );
      // Assignments: judges (i·7 + k·11) mod 30 for k = 0..2, distinct and balanced.
      const assignments: { id: string; entryId: string; judge: (typeof judges)[number]; value: number; at: Date }[] = [];
      for (const [index, entry] of judged.entries()) {
        const quality = 5.5 + (random() + random() + random() - 1.5) * 3;
        for (let k = 0; k < JUDGES_PER_ENTRY; k++) {
          const judge = judges[(index * 7 + k * 11) % JUDGES];
          const raw = quality * judge.spread + (1 - judge.spread) * 5.5 + judge.bias + (random() - 0.5);
          const value = Math.min(10, Math.max(1, Math.round(raw * 2) / 2));
          const at = new Date(
            ROUND_OPENED + Math.floor(((index * JUDGES_PER_ENTRY + k) / (judged.length * JUDGES_PER_ENTRY)) * (ROUND_CLOSED - ROUND_OPENED - 3_600_000)),
          );
          assignments.push({ id: demoId(`scale:${round.prefix}assignment:${index}:${k}`), entryId: entry.id, judge, value, at });
          if (round.id === SCALE.roundId) judgeGrants.push([entry.id, judge.id]);
        }
      }
      // Scored assignments spread over the whole round, so some entries have all their scores, some a part, some none.
      const scored = assignments.filter((_assignment, index) => index % 10 < round.scoredShare * 10);
      const isScored = new Set(scored.map((assignment) => assignment.id));
      add(
        "assignments",
        await copyInto(
          client,
          "judging.assignment",
          ["id", "round_id", "entry_id", "judge_id", "status", "origin", "created_at", "updated_at"],
          (function* () {
            for (const assignment of assignments) {
              yield [
                assignment.id,
                round.id,
                assignment.entryId,
                assignment.judge.id,
                isScored.has(assignment.id) ? "SCORED" : "ASSIGNED",
                "AUTOMATIC",
                new Date(ROUND_OPENED - 86_400_000),
                assignment.at,
              ];
            }
          })(),
        ),
      );
      add(
        "scores",
        await copyInto(
          client,
          "judging.score",
          ["id", "assignment_id", "round_id", "judge_id", "entry_id", "value", "pass", "criteria", "version", "created_at", "updated_at"],
          (function* () {
            for (const assignment of scored) {
              yield [
                demoId(`scale:score:${assignment.id}`),
                assignment.id,
                round.id,
                assignment.judge.id,
                assignment.entryId,
                assignment.value.toFixed(3),
                null,
                { overall: assignment.value },
                1,
                assignment.at,
                assignment.at,
              ];
            }
          })(),
        ),
      );
      // The score log, hash-chained exactly as appendScoreEvent builds it, so the round's log verifies.
      let previousHash = GENESIS_HASH;
      add(
        "scoreEvents",
        await copyInto(
          client,
          "judging.score_event",
          [
            "round_id",
            "sequence",
            "assignment_id",
            "judge_id",
            "entry_id",
            "kind",
            "value",
            "pass",
            "criteria",
            "actor",
            "recorded_at",
            "previous_hash",
            "hash",
          ],
          (function* () {
            for (const [index, assignment] of scored.entries()) {
              const event = {
                roundId: round.id,
                sequence: index + 1,
                assignmentId: assignment.id,
                judgeId: assignment.judge.id,
                entryId: assignment.entryId,
                kind: ScoreEventKind.SCORED,
                value: assignment.value,
                pass: null,
                criteria: { overall: assignment.value },
                actor: `judge:${assignment.judge.id}`,
                recordedAt: assignment.at,
                previousHash,
              };
              const hash = eventHash(event);
              yield [
                event.roundId,
                event.sequence,
                event.assignmentId,
                event.judgeId,
                event.entryId,
                event.kind,
                event.value.toFixed(3),
                null,
                event.criteria,
                event.actor,
                event.recordedAt,
                previousHash,
                hash,
              ];
              previousHash = hash;
            }
          })(),
        ),
      );
      await dataSource.query(`UPDATE judging.judging_round SET log_length = $2, log_head_hash = $3 WHERE id = $1`, [round.id, scored.length, previousHash]);
    } finally {
      await release();
    }
  }
  await dataSource.query(`ANALYZE judging.round_entry; ANALYZE judging.assignment; ANALYZE judging.score; ANALYZE judging.judge_statistics`);
  return { counts, judgeGrants };
}

/** Awards from the leaderboard, as proposeAwards would pick them: per theme, and per theme within each division. */
async function loadAwards(dataSource: DataSource): Promise<{ entryId: string; venueId: string; theme: string; divisionId: string | null }[]> {
  const round = (await dataSource.getRepository(JudgingRound).findOneByOrFail({ id: SCALE.roundId }))!;
  const rows: RankedRow[] = (await rankedRowsOf(dataSource, round))
    .filter((row) => row.accepted)
    .sort((a, b) => (a.theme < b.theme ? -1 : a.theme > b.theme ? 1 : a.themeRank - b.themeRank));
  const awards: { entryId: string; venueId: string; theme: string; divisionId: string | null; tier: string; position: number }[] = [];
  const scopes = new Map<string, RankedRow[]>();
  for (const row of rows) {
    for (const key of [`${row.theme}|`, ...(row.divisionId ? [`${row.theme}|${row.divisionId}`] : [])]) {
      const list = scopes.get(key) ?? [];
      if (list.length < AWARD_TIERS.length) list.push(row);
      scopes.set(key, list);
    }
  }
  for (const [key, list] of scopes) {
    const divisionId = key.split("|")[1] || null;
    const positions = new Map<string, number>();
    list.forEach((row, index) => {
      const tier = AWARD_TIERS[index];
      positions.set(tier, (positions.get(tier) ?? 0) + 1);
      awards.push({ entryId: row.entryId, venueId: row.venueId, theme: row.theme, divisionId, tier, position: positions.get(tier)! });
    });
  }
  for (const award of awards) {
    await dataSource.query(
      `INSERT INTO judging.award (round_id, entry_id, theme, division_id, venue_id, tier, position, published_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
      [SCALE.roundId, award.entryId, award.theme, award.divisionId, award.venueId, award.tier, award.position, AWARDS_PUBLISHED],
    );
  }
  return awards;
}

/** The published exhibition of 100 works: the theme winners, some of the Lisbon station's latest, then the best accepted. */
async function loadExhibition(dataSource: DataSource, entries: ScaleEntry[], awardedIds: string[], judgingData: DataSource): Promise<string[]> {
  const showable = new Map(entries.filter((entry) => entry.status === "SUBMITTED" && entry.consent).map((entry) => [entry.id, entry]));
  const chosen = new Set<string>();
  const add = (id: string) => chosen.size < 100 && showable.has(id) && chosen.add(id);
  awardedIds.forEach(add);
  entries
    .filter((entry) => entry.venue.id === SCALE.venueId)
    .slice(-50)
    .filter((_entry, index) => index % 5 === 0)
    .forEach((entry) => add(entry.id));
  const best: { entryId: string }[] = await judgingData.query(
    `SELECT entry_id AS "entryId" FROM judging.score WHERE round_id = $1 GROUP BY entry_id ORDER BY avg(value) DESC, entry_id LIMIT 400`,
    [SCALE.roundId],
  );
  best.forEach((row) => add(row.entryId));
  const exhibitionId = SCALE.exhibitionId;
  await dataSource.query(
    `INSERT INTO exhibitions.exhibition (id, slug, organization_id, kind, status, default_locale, title_text, description_text, opens_at, published_at, created_by)
     VALUES ($1, $2, NULL, 'ONLINE', 'PUBLISHED', 'zh', $3, $4, $5, $5, 'seed:scale')`,
    [
      exhibitionId,
      SCALE.exhibitionSlug,
      { zh: "“影像中国·和合共生”摄影展", en: "Image China · Harmonious Co-Existence", pt: "Imagem da China · Coexistência Harmoniosa" },
      { en: "About 100 works on exchanges between China and the world.", zh: "约百幅作品，聚焦各领域的中外交流。" },
      EXHIBITION_PUBLISHED,
    ],
  );
  await dataSource.query(`INSERT INTO exhibitions.exhibition_host_venue (exhibition_id, venue_id, position) VALUES ($1, $2, 1)`, [exhibitionId, SCALE.venueId]);
  const sections = ["Spring Festival abroad", "Sport and exchange", "Landscapes and visitors", "Trade and technology", "Folk culture shared"];
  const sectionIds = sections.map((_title, index) => demoId(`scale:exhibition-section:${index}`));
  for (const [index, title] of sections.entries()) {
    await dataSource.query(`INSERT INTO exhibitions.exhibition_section (id, exhibition_id, position, title_text) VALUES ($1, $2, $3, $4)`, [
      sectionIds[index],
      exhibitionId,
      index + 1,
      { en: title, zh: `展区 ${index + 1}` },
    ]);
  }
  const ids = [...chosen];
  const { client, release } = await ownConnection(dataSource);
  try {
    await copyInto(
      client,
      "exhibitions.exhibited_work",
      ["id", "exhibition_id", "section_id", "entry_id", "position", "caption_text", "like_count", "view_count", "added_by"],
      ids.map((entryId, index) => [
        demoId(`scale:exhibited-work:${index}`),
        exhibitionId,
        sectionIds[index % sectionIds.length],
        entryId,
        index + 1,
        { en: `${sections[index % sections.length]}, no. ${index + 1}`, zh: `第 ${index + 1} 幅` },
        (index * 37) % 500,
        (index * 211) % 5000,
        "seed:scale",
      ]),
    );
  } finally {
    await release();
  }
  return ids;
}

/** What the judging and exhibitions subgraphs tell the entries subgraph through its API: who may see which entries. */
async function loadGrants(dataSource: DataSource, judgeGrants: [string, string][], awardedIds: string[], exhibitedIds: string[]): Promise<number> {
  const { client, release } = await ownConnection(dataSource);
  try {
    return await copyInto(
      client,
      "entries.entry_grant",
      ["entry_id", "audience", "source", "created_at"],
      (function* () {
        for (const [entryId, judgeId] of judgeGrants) yield [entryId, `judge:${judgeId}`, `round:${SCALE.roundId}`, new Date(ROUND_OPENED - 86_400_000)];
        for (const entryId of new Set(awardedIds)) yield [entryId, "public", `awards:${SCALE.roundId}`, AWARDS_PUBLISHED];
        for (const entryId of exhibitedIds) yield [entryId, "public", `exhibition:${SCALE.exhibitionId}`, EXHIBITION_PUBLISHED];
      })(),
    );
  } finally {
    await release();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const step = (label: string, fields: Record<string, unknown> = {}) =>
    process.stdout.write(
      `  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${label}${Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ""}\n`,
    );
  const database = await openScaleDatabase({ fresh: true });
  // Media files of the scale data go next to it; the entries subgraph serves them when the benchmark sets MEDIA_ROOT.
  setConfig({ ...config(), mediaRoot: database.mediaRoot, databaseUrl: database.url });
  const dataSources = {} as Record<SubgraphName, DataSource>;
  try {
    process.stdout.write(
      `seeding the full-scale competition into ${database.embedded ? `an embedded PostgreSQL (${database.url.replace(/:[^:@/]*@/, ":***@")})` : "SCALE_DATABASE_URL"}\n`,
    );
    if (!database.embedded) {
      // An existing database: never overwrite a schema without being told to.
      const probe = new Client({ connectionString: database.url });
      await probe.connect();
      try {
        const { rows } = await probe.query(`SELECT nspname AS name FROM pg_namespace WHERE nspname = ANY($1)`, [[...SUBGRAPH_NAMES]]);
        if (rows.length && !hasFlag("reset")) {
          throw new Error(`SCALE_DATABASE_URL already has the schemas ${rows.map((row) => row.name).join(", ")}; pass --reset to drop and reload them.`);
        }
        for (const name of SUBGRAPH_NAMES) await probe.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await probe.end();
      }
    }
    for (const name of SUBGRAPH_NAMES) {
      dataSources[name] = await openDatabase({
        schema: name,
        url: database.url,
        entities: subgraphDefinitions[name]!.entities,
        migrations: migrationsBySubgraph[name],
        poolSize: 2,
      });
    }
    step("migrated");
    const [venues, media] = await Promise.all([loadDemoVenues(dataSources.venues), generateDemoMedia()]);
    step("venues, organisations, demo API clients and media files", {
      venues: venues.length,
      organisations: new Set(venues.map((venue) => venue.organizationId)).size,
    });
    const { entries, entrants } = buildEntries(venues);
    const entryCounts = await loadEntries(dataSources.entries, entries, entrants, media);
    step("entries", { ...entryCounts, countries: new Set(entries.map((entry) => entry.country)).size });
    const judging = await loadJudging(dataSources.judging, entries);
    step("judging (closed final round, open round)", judging.counts);
    const awards = await loadAwards(dataSources.judging);
    step("awards (published)", { awards: awards.length });
    const awardedIds = awards.map((award) => award.entryId);
    const exhibited = await loadExhibition(
      dataSources.exhibitions,
      entries,
      awards.filter((award) => !award.divisionId).map((award) => award.entryId),
      dataSources.judging,
    );
    step("exhibition (published)", { slug: SCALE.exhibitionSlug, works: exhibited.length });
    const grants = await loadGrants(dataSources.entries, judging.judgeGrants, awardedIds, exhibited);
    step("entry grants (judges, awards, exhibition)", { grants });
    // Statistics and visibility maps as a long-running database would have them (index-only scans, good plans).
    await dataSources.entries.query(`VACUUM ANALYZE`);
    step("vacuum analyze");
    const themes: { theme: string; count: number }[] = await dataSources.judging.query(
      `SELECT theme, count(*)::int AS count FROM judging.round_entry WHERE round_id = $1 GROUP BY theme ORDER BY count DESC`,
      [SCALE.roundId],
    );
    process.stdout.write(
      `${JSON.stringify({
        seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
        entries: entryCounts.entries,
        photos: entryCounts.photos,
        microVideos: entryCounts.microVideos,
        venues: venues.length,
        scores: judging.counts.scores,
        awards: awards.length,
        exhibitedWorks: exhibited.length,
        largestTheme: themes[0],
      })}\n`,
    );
  } finally {
    for (const dataSource of Object.values(dataSources)) await dataSource.destroy().catch(() => undefined);
    await database.stop();
  }
}

main().catch((error) => {
  logger.error("seed:scale failed", { error });
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
