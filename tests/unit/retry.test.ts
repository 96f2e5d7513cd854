// The one retry policy (lib/retry.ts) every retrying loop uses: outbox followers, webhook deliveries, video renditions
// and upload checks.
import { retryDelayMs } from "../../lib/retry";

const POLICY = { baseMs: 1_000, maxMs: 60_000 };

/** Many draws of one delay, to see its whole jitter range. */
const draws = (failures: number) => Array.from({ length: 500 }, () => retryDelayMs(failures, POLICY));

/** Every draw within [low, high]. */
function expectWithin(delays: number[], low: number, high: number) {
  expect(Math.min(...delays)).toBeGreaterThanOrEqual(low);
  expect(Math.max(...delays)).toBeLessThanOrEqual(high);
}

describe("retryDelayMs", () => {
  it("waits the base after the first failure, give or take 20%", () => {
    expectWithin(draws(1), 800, 1_200);
  });

  it("doubles for each further failure", () => {
    expectWithin(draws(2), 1_600, 2_400);
    expectWithin(draws(3), 3_200, 4_800);
    expectWithin(draws(5), 12_800, 19_200);
  });

  it("never grows past the cap (plus jitter), however many failures", () => {
    expectWithin([...draws(7), ...draws(1_000_000)], 48_000, 72_000);
  });

  it("spreads retries of many failures apart (jitter)", () => {
    expect(new Set(draws(3)).size).toBeGreaterThan(100);
  });

  it("treats no failure yet as the first", () => {
    expectWithin(draws(0), 800, 1_200);
  });
});
