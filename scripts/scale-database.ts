// Where the full-scale benchmark data lives (npm run seed:scale writes it, npm run bench reads it):
// SCALE_DATABASE_URL when set, otherwise an embedded PostgreSQL under DATA_DIR/scale, apart from the demo database.
import fs from "node:fs";
import path from "node:path";
import { config } from "../lib/config";
import { startEmbeddedPostgres } from "../lib/embedded-postgres";
import { demoId } from "./demo-data/random";
import { DEMO } from "./demo-data/venues";

/** Ids and names the seed fixes, so the benchmark finds its subjects without searching. */
export const SCALE = {
  exhibitionSlug: "harmonious-co-existence",
  exhibitionId: demoId("scale:exhibition:harmonious-co-existence"),
  roundId: demoId("scale:round:final"),
  /** The open round (judging under way) that Q4open ranks. */
  openRoundId: demoId("scale:round:open"),
  venueId: DEMO.lisbonVenueId,
  organizationId: DEMO.lisbonOrganizationId,
  entryId: (index: number) => demoId(`scale:entry:${index}`),
  /** Q3's entry: one in the middle of the competition. */
  sampleEntryIndex: 19_501,
};

/** Default port of the embedded scale database (the demo one uses 54329); --postgres-port overrides it. */
export const SCALE_POSTGRES_PORT = 54830;

export interface ScaleDatabase {
  url: string;
  /** Media files of the scale data (a few generated files that many rows share). */
  mediaRoot: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export const scaleDirectory = () => path.join(config().dataDir, "scale");

/** A CLI flag's value (`--name value`), or the fallback. */
export function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

export const hasFlag = (name: string) => process.argv.includes(`--${name}`);

/** Starts (or connects to) the scale database; `fresh` removes an embedded cluster first. */
export async function openScaleDatabase(options: { fresh: boolean; port?: number }): Promise<ScaleDatabase> {
  const mediaRoot = path.join(scaleDirectory(), "media");
  const url = config().scaleDatabaseUrl;
  if (url) return { url, mediaRoot, embedded: false, stop: async () => undefined };
  const clusterDir = path.join(scaleDirectory(), "postgres");
  if (options.fresh) fs.rmSync(clusterDir, { recursive: true, force: true });
  const database = await startEmbeddedPostgres(clusterDir, options.port ?? Number(flag("postgres-port", String(SCALE_POSTGRES_PORT))), "image_china_scale");
  return { url: database.url, mediaRoot, embedded: true, stop: () => database.stop() };
}
