// Closed rounds' rankings, computed once per process. Ranking a round reads every score of it (about 115,000 at
// full scale) and ranks them exactly in leaderboard.ranking.ts; once the round is CLOSED its scores are final,
// so each page is read from the ranking kept here instead. The key is built from the round row as read by the request
// (its log length, close time, last update and acceptance settings), so a change to any of them, made by any
// process, is a new key: nothing is served stale, and several copies of the service need no coordination.
import type { JudgingRound } from "../round/round.entity";
import { RoundStatus } from "../round/round.entity";
import type { RankedRow } from "./leaderboard.ranking";

/** Rankings kept at once (about 200 bytes per entry: 8 MB for a 39,000-entry round). */
const MAX_ROUNDS = 4;

interface CachedRanking {
  /** Every entry of the round, in ranking order. */
  rows: Promise<RankedRow[]>;
  /** The rows of one theme/division view, in the same order, by "theme|division". */
  views: Map<string, RankedRow[]>;
}

const rankings = new Map<string, CachedRanking>();

/** The cache key of a round whose ranking can no longer change; undefined while it is DRAFT or OPEN. */
export function closedRankingKey(round: JudgingRound): string | undefined {
  if (round.status !== RoundStatus.CLOSED) return undefined;
  return [
    round.id,
    round.logLength,
    round.logHeadHash,
    round.closedAt?.toISOString(),
    round.updatedAt?.toISOString(),
    round.kind,
    round.acceptanceCapPercent,
    round.passVotes,
    round.scaleMin,
    round.scaleMax,
  ].join("|");
}

/** The rows of a view (theme and/or division) of a closed round, in ranking order; `rank` is the position in this list + 1. */
export async function closedRankingView(
  key: string,
  view: { theme: string | null; divisionId: string | null },
  compute: () => Promise<RankedRow[]>,
): Promise<RankedRow[]> {
  let cached = rankings.get(key);
  if (cached) {
    // Most recently used last, so the first key is the one to evict.
    rankings.delete(key);
    rankings.set(key, cached);
  } else {
    const roundId = key.split("|")[0];
    // An older key of the same round will not be asked for again.
    for (const existing of rankings.keys()) if (existing.startsWith(`${roundId}|`)) rankings.delete(existing);
    cached = { rows: compute(), views: new Map() };
    rankings.set(key, cached);
    cached.rows.catch(() => rankings.delete(key));
    while (rankings.size > MAX_ROUNDS) rankings.delete(rankings.keys().next().value!);
  }
  const rows = await cached.rows;
  const viewKey = `${view.theme ?? ""}|${view.divisionId ?? ""}`;
  let selected = cached.views.get(viewKey);
  if (!selected) {
    selected = rows.filter((row) => (!view.theme || row.theme === view.theme) && (!view.divisionId || row.divisionId === view.divisionId));
    cached.views.set(viewKey, selected);
  }
  return selected;
}
