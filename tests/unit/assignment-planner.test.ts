// The assignment planner's rules, one per test (subgraphs/judging/assignment/assignment.planner.ts).
import {
  hasConflict,
  pickLeastLoaded,
  PlannedEntry,
  PlannedJudge,
  planAssignments,
  planReplacements,
  ReplacementInput,
} from "../../subgraphs/judging/assignment/assignment.planner";

const id = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const entry = (n: number, venue = 1, organization = 1): PlannedEntry => ({
  entryId: id("e", n),
  venueId: id("a", venue),
  organizationId: id("b", organization),
});
const judge = (n: number, affiliations: { venues?: number[]; organizations?: number[] } = {}): PlannedJudge => ({
  id: id("c", n),
  venueIds: (affiliations.venues ?? []).map((venue) => id("a", venue)),
  organizationIds: (affiliations.organizations ?? []).map((organization) => id("b", organization)),
});
const range = (count: number) => Array.from({ length: count }, (_, index) => index + 1);
const judgesOf = (plan: { assignments: { entryId: string; judgeId: string }[] }, entryId: string) =>
  plan.assignments.filter((item) => item.entryId === entryId).map((item) => item.judgeId);

describe("conflict of interest", () => {
  it("is a conflict when the judge is affiliated with the entry's venue", () => {
    expect(hasConflict(judge(1, { venues: [7] }), entry(1, 7, 1))).toBe(true);
  });

  it("is a conflict when the judge is affiliated with the organisation that runs the entry's venue", () => {
    expect(hasConflict(judge(1, { organizations: [3] }), entry(1, 7, 3))).toBe(true);
  });

  it("is no conflict when the judge is affiliated with other venues and organisations only", () => {
    expect(hasConflict(judge(1, { venues: [8], organizations: [4] }), entry(1, 7, 3))).toBe(false);
  });
});

describe("automatic assignment", () => {
  it("gives every entry exactly the quorum, of distinct judges", () => {
    const plan = planAssignments(
      range(40).map((n) => entry(n)),
      range(7).map((n) => judge(n)),
      3,
      "seed",
    );
    for (const n of range(40)) {
      const judges = judgesOf(plan, id("e", n));
      expect(judges).toHaveLength(3);
      expect(new Set(judges).size).toBe(3);
    }
  });

  it("never assigns a judge to an entry they have a conflict of interest with", () => {
    const entries = range(30).map((n) => entry(n, n % 3, n % 2));
    const judges = [judge(1, { venues: [0] }), judge(2, { organizations: [1] }), judge(3), judge(4, { venues: [2] }), judge(5), judge(6)];
    const plan = planAssignments(entries, judges, 2, "seed");
    for (const item of plan.assignments) {
      expect(
        hasConflict(
          judges.find((candidate) => candidate.id === item.judgeId)!,
          entries.find((candidate) => candidate.entryId === item.entryId)!,
        ),
      ).toBe(false);
    }
  });

  it("keeps every judge's load within one of the others' when nobody has a conflict", () => {
    const plan = planAssignments(
      range(50).map((n) => entry(n)),
      range(7).map((n) => judge(n)),
      3,
      "seed",
    );
    const loads = [...plan.loads.values()];
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(loads.reduce((sum, load) => sum + load, 0)).toBe(150);
  });

  it("serves the most constrained entries first, so conflicts do not unbalance the loads", () => {
    // Entry 2 can only go to judge 1 (judge 2 works at its venue): were entry 1 served first it could take
    // judge 1 too, leaving loads of 2 and 0. Whatever the seed, each judge gets one.
    for (const seed of ["a", "b", "c", "d", "e", "f"]) {
      const plan = planAssignments([entry(1, 1), entry(2, 2)], [judge(1), judge(2, { venues: [2] })], 1, seed);
      expect([...plan.loads.values()]).toEqual([1, 1]);
    }
  });

  it("plans nothing and names the entries short of quorum when conflicts leave too few judges", () => {
    const plan = planAssignments([entry(1, 1), entry(2, 2)], [judge(1, { venues: [2] }), judge(2), judge(3, { venues: [2] })], 2, "seed");
    expect(plan.assignments).toEqual([]);
    expect(plan.shortOfQuorum).toEqual([{ entryId: id("e", 2), eligible: 1 }]);
  });

  it("gives the same plan for the same entries, judges and seed, whatever order they are given in", () => {
    const entries = range(20).map((n) => entry(n, n % 4));
    const judges = range(6).map((n) => judge(n, { venues: [n % 4] }));
    const sorted = (plan: ReturnType<typeof planAssignments>) => [...plan.assignments].sort((a, b) => (a.entryId + a.judgeId < b.entryId + b.judgeId ? -1 : 1));
    expect(sorted(planAssignments([...entries].reverse(), [...judges].reverse(), 2, "seed"))).toEqual(sorted(planAssignments(entries, judges, 2, "seed")));
  });

  it("lets the seed change which judges get which entries", () => {
    const entries = range(20).map((n) => entry(n));
    const judges = range(6).map((n) => judge(n));
    const plans = new Set(["one", "two", "three", "four"].map((seed) => JSON.stringify(planAssignments(entries, judges, 2, seed).assignments)));
    expect(plans.size).toBeGreaterThan(1);
  });
});

describe("picking the least-loaded judge", () => {
  it("picks the candidates with the lowest load", () => {
    const loads = new Map([
      [id("c", 1), 3],
      [id("c", 2), 1],
      [id("c", 3), 2],
    ]);
    expect(pickLeastLoaded(id("e", 1), [id("c", 1), id("c", 2), id("c", 3)], loads, "seed", 2)).toEqual([id("c", 2), id("c", 3)]);
  });

  it("breaks ties between equally loaded candidates the same way every time for the same seed", () => {
    const candidates = range(10).map((n) => id("c", n));
    const picks = new Set(range(5).map(() => pickLeastLoaded(id("e", 1), candidates, new Map(), "seed")[0]));
    expect(picks.size).toBe(1);
  });

  it("does not always break ties in favour of the same judge across entries", () => {
    const candidates = range(10).map((n) => id("c", n));
    const picks = new Set(range(30).map((n) => pickLeastLoaded(id("e", n), candidates, new Map(), "seed")[0]));
    expect(picks.size).toBeGreaterThan(3);
  });
});

describe("replacements after a recusal or a judge dropping out", () => {
  const input = (overrides: Partial<ReplacementInput> = {}): ReplacementInput => ({
    pool: [
      { ...judge(2), load: 5 },
      { ...judge(3), load: 1 },
      { ...judge(4), load: 2 },
    ],
    entries: [entry(1), entry(2)],
    holders: [],
    ...overrides,
  });

  it("gives the entry to the least-loaded judge of the pool", () => {
    expect(planReplacements(input(), [{ entryId: id("e", 1) }], "seed")).toEqual([id("c", 3)]);
  });

  it("never gives the entry to a judge who holds or held it in the round", () => {
    const holders = [{ entryId: id("e", 1), judgeId: id("c", 3) }];
    expect(planReplacements(input({ holders }), [{ entryId: id("e", 1) }], "seed")).toEqual([id("c", 4)]);
  });

  it("never gives the entry to a judge with a conflict of interest", () => {
    const pool = [
      { ...judge(3, { venues: [1] }), load: 0 },
      { ...judge(4), load: 9 },
    ];
    expect(planReplacements(input({ pool }), [{ entryId: id("e", 1) }], "seed")).toEqual([id("c", 4)]);
  });

  it("answers null for an entry no judge of the pool may take", () => {
    const pool = [{ ...judge(3, { organizations: [1] }), load: 0 }];
    expect(planReplacements(input({ pool }), [{ entryId: id("e", 1) }], "seed")).toEqual([null]);
  });

  it("counts earlier picks in the load of later ones", () => {
    const pool = [
      { ...judge(3), load: 0 },
      { ...judge(4), load: 0 },
    ];
    const [first, second] = planReplacements(input({ pool }), [{ entryId: id("e", 1) }, { entryId: id("e", 2) }], "seed");
    expect(new Set([first, second])).toEqual(new Set([id("c", 3), id("c", 4)]));
  });
});
