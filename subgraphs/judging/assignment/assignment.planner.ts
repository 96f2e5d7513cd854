// Decides which judges judge which entries: a quorum per entry, balanced load, never a conflict of interest,
// and the same result for the same input. Pure functions, no database.
//
// Rule: entries are handled most-constrained first (fewest eligible judges), then in a seeded pseudo-random
// order; each takes the `quorum` eligible judges with the lowest load so far, ties broken by a seeded hash of
// (entry, judge). Handling the hardest entries first and always filling the least-loaded judge keeps every
// judge's load within one of the others' wherever conflicts of interest leave a choice.

export interface PlannedEntry {
  entryId: string;
  venueId: string;
  organizationId: string;
}

export interface PlannedJudge {
  id: string;
  organizationIds: readonly string[];
  venueIds: readonly string[];
}

export interface PlanResult {
  assignments: { entryId: string; judgeId: string }[];
  /** Entries with fewer eligible judges than the quorum (nothing is planned when there are any). */
  shortOfQuorum: { entryId: string; eligible: number }[];
  loads: Map<string, number>;
}

/** True when the judge is affiliated with the entry's venue or with the organisation that runs it. */
export function hasConflict(judge: PlannedJudge, entry: { venueId: string; organizationId: string }): boolean {
  return judge.venueIds.includes(entry.venueId) || judge.organizationIds.includes(entry.organizationId);
}

/** 32-bit FNV-1a with a final avalanche: a stable, seeded tie-break that does not favour any id. */
export function seededHash(...parts: string[]): number {
  let hash = 0x811c9dc5;
  const text = parts.join("\u0000");
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export function planAssignments(entries: readonly PlannedEntry[], judges: readonly PlannedJudge[], quorum: number, seed: string): PlanResult {
  const sortedJudges = [...judges].sort((a, b) => (a.id < b.id ? -1 : 1));
  const loads = new Map(sortedJudges.map((judge) => [judge.id, 0]));
  const candidates = entries.map((entry) => ({
    entry,
    eligible: sortedJudges.filter((judge) => !hasConflict(judge, entry)),
    order: seededHash(seed, entry.entryId),
  }));
  const shortOfQuorum = candidates
    .filter((item) => item.eligible.length < quorum)
    .map((item) => ({ entryId: item.entry.entryId, eligible: item.eligible.length }));
  if (shortOfQuorum.length) return { assignments: [], shortOfQuorum, loads };

  candidates.sort((a, b) => a.eligible.length - b.eligible.length || a.order - b.order || (a.entry.entryId < b.entry.entryId ? -1 : 1));
  const assignments: PlanResult["assignments"] = [];
  for (const { entry, eligible } of candidates) {
    const chosen = pickLeastLoaded(
      entry.entryId,
      eligible.map((judge) => judge.id),
      loads,
      seed,
      quorum,
    );
    for (const judgeId of chosen) {
      loads.set(judgeId, loads.get(judgeId)! + 1);
      assignments.push({ entryId: entry.entryId, judgeId });
    }
  }
  return { assignments, shortOfQuorum: [], loads };
}

/** The `count` candidates with the lowest load, ties broken by the seeded hash of (entry, judge). */
export function pickLeastLoaded(entryId: string, candidateIds: readonly string[], loads: ReadonlyMap<string, number>, seed: string, count = 1): string[] {
  return candidateIds
    .map((judgeId) => ({ judgeId, load: loads.get(judgeId) ?? 0, tie: seededHash(seed, entryId, judgeId) }))
    .sort((a, b) => a.load - b.load || a.tie - b.tie || (a.judgeId < b.judgeId ? -1 : 1))
    .slice(0, count)
    .map((candidate) => candidate.judgeId);
}

/** What replacements are chosen from: the round's pool with active loads, its entries, and who holds or held each. */
export interface ReplacementInput {
  pool: (PlannedJudge & { load: number })[];
  entries: PlannedEntry[];
  holders: { entryId: string; judgeId: string }[];
}

/**
 * For each assignment, the least-loaded judge of the pool who is free of a conflict of interest with its entry and
 * has never held it in this round; null when there is none. Later picks see the load of earlier ones.
 */
export function planReplacements(input: ReplacementInput, assignments: readonly { entryId: string }[], seed: string): (string | null)[] {
  const loads = new Map(input.pool.map((judge) => [judge.id, judge.load]));
  const entryById = new Map(input.entries.map((entry) => [entry.entryId, entry]));
  const heldBy = new Map<string, Set<string>>();
  for (const holder of input.holders) {
    if (!heldBy.has(holder.entryId)) heldBy.set(holder.entryId, new Set());
    heldBy.get(holder.entryId)!.add(holder.judgeId);
  }
  return assignments.map((assignment) => {
    const entry = entryById.get(assignment.entryId)!;
    const held = heldBy.get(assignment.entryId) ?? new Set<string>();
    const candidates = input.pool.filter((judge) => !held.has(judge.id) && !hasConflict(judge, entry)).map((judge) => judge.id);
    const [chosen] = pickLeastLoaded(assignment.entryId, candidates, loads, seed);
    if (!chosen) return null;
    loads.set(chosen, (loads.get(chosen) ?? 0) + 1);
    held.add(chosen);
    heldBy.set(assignment.entryId, held);
    return chosen;
  });
}
