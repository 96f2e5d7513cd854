// The upload check jobs of this process: one service per database (completion requests start their checks on it
// and wait for them), and the loop in every entries process that takes over checks whose process died.
import type { DataSource } from "typeorm";
import { config } from "../../../lib/config";
import { startWorker, Worker } from "../../../lib/worker";
import { mediaStorage } from "../media/media-store";
import { UploadCheckService } from "./upload-check.service";

/** Attempts before an upload whose checks keep stopping (or failing on our side) is REJECTED. */
const MAX_ATTEMPTS = 3;
const RETRY_BASE_MILLISECONDS = 10_000;

const services = new WeakMap<DataSource, UploadCheckService>();

export function uploadChecks(dataSource: DataSource): UploadCheckService {
  let service = services.get(dataSource);
  if (!service) {
    service = new UploadCheckService(dataSource, mediaStorage, {
      leaseMilliseconds: config().mediaUploads.checkLeaseMs,
      maxAttempts: MAX_ATTEMPTS,
      retryBaseMilliseconds: RETRY_BASE_MILLISECONDS,
    });
    services.set(dataSource, service);
  }
  return service;
}

export function startUploadCheckWorker(dataSource: DataSource): Worker {
  const service = uploadChecks(dataSource);
  const worker = startWorker(
    "upload checks",
    () => service.runStalled(),
    () => config().mediaUploads.checkPollMs,
  );
  return {
    runOnce: () => service.runStalled(),
    // Checks in flight are stopped and their leases handed back, so shutdown does not wait for a long hash.
    stop: async () => {
      await service.stop();
      await worker.stop();
    },
  };
}
