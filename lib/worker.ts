// A background loop that runs one pass, waits, and runs again; stopping waits for the pass in flight.
import { logger } from "./logger";

export interface Worker {
  /** Runs one pass now and resolves with how many items it handled (tests). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startWorker(name: string, pass: () => Promise<number>, intervalMs: () => number): Worker {
  let stopped = false;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout;
  const tick = async () => {
    if (stopped) return;
    try {
      running = pass();
      await running;
    } catch (error) {
      logger.warn(`${name} pass failed`, { error });
    } finally {
      running = undefined;
      if (!stopped) timer = setTimeout(tick, intervalMs());
    }
  };
  timer = setTimeout(tick, intervalMs());
  return {
    runOnce: pass,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
