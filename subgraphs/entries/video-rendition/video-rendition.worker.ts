// Starts the rendition job loop in every entries process; replicas share the queue in PostgreSQL.
import path from "node:path";
import type { DataSource } from "typeorm";
import { config } from "../../../lib/config";
import { startWorker, Worker } from "../../../lib/worker";
import { mediaStorage, uploadTempDir } from "../media/media-store";
import { VideoRenditionService } from "./video-rendition.service";
import { VideoRenditionStore } from "./video-rendition.store";

/** A lease of a minute, renewed every 20 s while ffmpeg runs: a killed process's job is taken up again a minute later. */
const LEASE_MILLISECONDS = 60_000;

export function startVideoRenditionWorker(dataSource: DataSource): Worker {
  const settings = config().videoRenditions;
  const service = new VideoRenditionService(new VideoRenditionStore(dataSource), mediaStorage, {
    leaseMilliseconds: LEASE_MILLISECONDS,
    maxAttempts: settings.maxAttempts,
    retryBaseMilliseconds: settings.retryBaseMilliseconds,
    timeoutMilliseconds: settings.timeoutSeconds * 1000,
    workDir: path.join(uploadTempDir(), "renditions"),
  });
  // Stopping aborts a transcode in flight (ffmpeg is killed and the job handed back), so shutdown does not wait for it.
  const stopping = new AbortController();
  const worker = startWorker(
    "video renditions",
    () => service.runDue(stopping.signal),
    () => settings.pollMilliseconds,
  );
  return {
    runOnce: () => service.runDue(stopping.signal),
    stop: async () => {
      stopping.abort();
      await worker.stop();
    },
  };
}
