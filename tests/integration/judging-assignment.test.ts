// Assignment: quorum, balance and conflict-of-interest exclusion over generated data with many venues,
// reproducibility, manual adjustment, recusal with reassignment, and closing with unscored work.
import { startSystem, TestSystem } from "../kit/system";
import { entities, errorCodes, graphql } from "../kit/http";
import { ThemeCode } from "../../lib/themes";
import { generateCompetition, judgeToken, judgingApi, ok, organizerToken, seedJudge } from "../kit/judging-factories";
import type { Judge } from "../../subgraphs/judging/judge/judge.entity";

describe("judging: assignment", () => {
  let system: TestSystem;
  let api: ReturnType<typeof judgingApi>;
  let url: string;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries", "judging"], gateway: false });
    url = system.urls.judging;
    api = judgingApi(url);
  });
  afterAll(() => system.stop());

  /** What the judge sees of the entry once the grants changed so far have reached the entries subgraph. */
  const seeJudgeEntry = async (judgeId: string, entryId: string) => {
    await system.settleEvents();
    const response = await entities(system.urls.entries, [{ __typename: "Entry", id: entryId }], "... on Entry { id title }", judgeToken(judgeId));
    expect(response.errors).toBeUndefined();
    return response.data!._entities[0];
  };

  it("gives every entry a quorum of judges, balanced, never a judge affiliated with the entry's venue or organisation, reproducibly", async () => {
    // 12 organisations × 3 venues × 6 entries = 216 entries, all in one division so the round covers only them.
    const generated = await generateCompetition(system.dataSources, { organizations: 12, venuesPerOrganization: 3, entriesPerVenue: 6, divisionEvery: 1 });
    const { venues, organizations } = generated;
    const judges: Judge[] = [];
    judges.push(await seedJudge(system.dataSources.judging, { organizationIds: [organizations[0]] }));
    judges.push(await seedJudge(system.dataSources.judging, { organizationIds: [organizations[1], organizations[2]] }));
    judges.push(await seedJudge(system.dataSources.judging, { venueIds: [venues[10].id, venues[20].id] }));
    judges.push(await seedJudge(system.dataSources.judging, { organizationIds: [organizations[5]], venueIds: [venues[30].id] }));
    for (let i = 0; i < 5; i++) judges.push(await seedJudge(system.dataSources.judging));
    const round = await api.createRound({ name: "Nature – scoring", kind: "SCORE", theme: "NATURE", divisionId: generated.division.id });
    const judgeIds = judges.map((judge) => judge.id);

    const summary = ok(await api.assignJudges({ roundId: round.id, judgeIds, seed: "first" })).assignJudges;
    expect(summary.entries).toBe(216);
    expect(summary.assignments).toBe(216 * 3);

    const assignments = await api.assignments(round.id);
    expect(assignments).toHaveLength(648);
    const venueById = new Map(venues.map((venue) => [venue.id, venue]));
    const entryById = new Map(generated.entries.map((entry) => [entry.id, entry]));
    const judgeById = new Map(judges.map((judge) => [judge.id, judge]));
    const judgesPerEntry = new Map<string, Set<string>>();
    for (const assignment of assignments) {
      const entry = entryById.get(assignment.entryId)!;
      const judge = judgeById.get(assignment.judgeId)!;
      // Conflict of interest: never the judge's venue, never a venue of the judge's organisation.
      expect(judge.venueIds).not.toContain(entry.venueId);
      expect(judge.organizationIds).not.toContain(venueById.get(entry.venueId)!.organizationId);
      if (!judgesPerEntry.has(entry.id)) judgesPerEntry.set(entry.id, new Set());
      judgesPerEntry.get(entry.id)!.add(judge.id);
    }
    expect(judgesPerEntry.size).toBe(216);
    for (const set of judgesPerEntry.values()) expect(set.size).toBe(3);
    const loads = judgeIds.map((id) => assignments.filter((assignment) => assignment.judgeId === id).length);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(summary.judges.map((load: any) => load.assigned).sort()).toEqual([...loads].sort());

    // Same input, same result; another seed, another (still valid) result.
    const pairs = (rows: { entryId: string; judgeId: string }[]) => rows.map((row) => `${row.entryId}/${row.judgeId}`).sort();
    ok(await api.assignJudges({ roundId: round.id, judgeIds: [...judgeIds].reverse(), seed: "first" }));
    expect(pairs(await api.assignments(round.id))).toEqual(pairs(assignments));
    ok(await api.assignJudges({ roundId: round.id, judgeIds, seed: "second" }));
    const reseeded = await api.assignments(round.id);
    expect(reseeded).toHaveLength(648);
    expect(pairs(reseeded)).not.toEqual(pairs(assignments));
  });

  it("refuses an assignment that cannot reach the quorum without conflicts, and refuses non-organisers", async () => {
    const generated = await generateCompetition(system.dataSources, { organizations: 2, venuesPerOrganization: 2, entriesPerVenue: 2, divisionEvery: 1 });
    const conflicted = await seedJudge(system.dataSources.judging, { organizationIds: [generated.organizations[0]] });
    const others = [await seedJudge(system.dataSources.judging), await seedJudge(system.dataSources.judging)];
    const round = await api.createRound({ name: "Too few", kind: "SCORE", theme: "NATURE", divisionId: generated.division.id, quorum: 3 });
    const refused = await api.assignJudges({ roundId: round.id, judgeIds: [conflicted.id, ...others.map((judge) => judge.id)] });
    expect(errorCodes(refused)).toEqual(["BAD_USER_INPUT"]);
    expect(refused.errors![0].extensions).toMatchObject({ entriesShortOfQuorum: 4 });
    expect(await api.assignments(round.id)).toEqual([]);

    const asJudge = await graphql(
      url,
      `
        mutation ($input: AssignJudgesInput!) {
          assignJudges(input: $input) {
            entries
          }
        }
      `,
      {
        variables: { input: { roundId: round.id, judgeIds: others.map((judge) => judge.id) } },
        token: judgeToken(others[0].id),
      },
    );
    expect(errorCodes(asJudge)).toEqual(["FORBIDDEN"]);
    expect(
      errorCodes(
        await graphql(
          url,
          `
            {
              rounds {
                id
              }
            }
          `,
        ),
      ),
    ).toEqual(["UNAUTHENTICATED"]);
  });

  it("lets organisers adjust assignments by hand, but never into a conflict of interest", async () => {
    const generated = await generateCompetition(system.dataSources, { organizations: 3, venuesPerOrganization: 1, entriesPerVenue: 2, divisionEvery: 1 });
    const judges = [await seedJudge(system.dataSources.judging), await seedJudge(system.dataSources.judging)];
    const affiliated = await seedJudge(system.dataSources.judging, { venueIds: [generated.venues[0].id] });
    const round = await api.createRound({ name: "Manual", kind: "SHORTLIST", theme: "NATURE", divisionId: generated.division.id, quorum: 1 });
    ok(await api.assignJudges({ roundId: round.id, judgeIds: judges.map((judge) => judge.id) }));
    const entryOfVenue0 = generated.entries.find((entry) => entry.venueId === generated.venues[0].id)!;

    const conflicting = await api.addAssignment({ roundId: round.id, entryId: entryOfVenue0.id, judgeId: affiliated.id });
    expect(errorCodes(conflicting)).toEqual(["BAD_USER_INPUT"]);
    expect(conflicting.errors![0].extensions).toMatchObject({ reason: "CONFLICT_OF_INTEREST" });

    const existing = (await api.assignments(round.id)).find((assignment) => assignment.entryId === entryOfVenue0.id)!;
    expect(errorCodes(await api.addAssignment({ roundId: round.id, entryId: entryOfVenue0.id, judgeId: existing.judgeId }))).toEqual(["CONFLICT"]);
    const otherJudge = judges.find((judge) => judge.id !== existing.judgeId)!;
    const added = ok(await api.addAssignment({ roundId: round.id, entryId: entryOfVenue0.id, judgeId: otherJudge.id })).addAssignment;
    expect(added).toMatchObject({ status: "ASSIGNED", origin: "MANUAL" });

    // Moving to the affiliated judge is refused; removing the manual one works.
    const move = await graphql(
      url,
      `
        mutation ($id: ID!, $judgeId: ID) {
          reassignAssignment(id: $id, judgeId: $judgeId) {
            id
          }
        }
      `,
      {
        variables: { id: existing.id, judgeId: affiliated.id },
        token: organizerToken(),
      },
    );
    expect(errorCodes(move)).toEqual(["BAD_USER_INPUT"]);
    ok(
      await graphql(
        url,
        `
          mutation ($id: ID!) {
            removeAssignment(id: $id)
          }
        `,
        { variables: { id: added.id }, token: organizerToken() },
      ),
    );
    const remaining = (await api.assignments(round.id)).filter((assignment) => assignment.entryId === entryOfVenue0.id);
    expect(remaining.map((assignment) => assignment.judgeId)).toEqual([existing.judgeId]);
  });

  it("reassigns a recused entry to another eligible judge and moves the judges' access with it", async () => {
    const generated = await generateCompetition(system.dataSources, {
      organizations: 2,
      venuesPerOrganization: 2,
      entriesPerVenue: 2,
      divisionEvery: 1,
      themes: [ThemeCode.FOLK_CULTURE],
    });
    const judges: Judge[] = [];
    for (let i = 0; i < 5; i++) judges.push(await seedJudge(system.dataSources.judging));
    judges.push(await seedJudge(system.dataSources.judging, { organizationIds: [generated.organizations[0]] }));
    const judgeById = new Map(judges.map((judge) => [judge.id, judge]));
    const round = await api.createRound({ name: "Folk – scoring", kind: "SCORE", theme: "FOLK_CULTURE", divisionId: generated.division.id, quorum: 2 });
    ok(await api.assignJudges({ roundId: round.id, judgeIds: judges.map((judge) => judge.id) }));
    await api.openRound(round.id);
    const before = await api.assignments(round.id);

    const entry = generated.entries.find((candidate) => candidate.organizationId === generated.organizations[0])!;
    const recusing = before.find((row) => row.entryId === entry.id)!;
    expect(await seeJudgeEntry(recusing.judgeId, entry.id)).toMatchObject({ id: entry.id });
    ok(await api.submitScore(recusing.judgeId, { roundId: round.id, entryId: entry.id, value: 7 }));

    const recuse = `mutation($id: ID!, $reason: String!) { recuse(assignmentId: $id, reason: $reason) { reassigned assignment { id status recusalReason score { id } } } }`;
    expect(errorCodes(await graphql(url, recuse, { variables: { id: recusing.id, reason: "  " }, token: judgeToken(recusing.judgeId) }))).toEqual([
      "BAD_USER_INPUT",
    ]);
    const someoneElse = judges.find((judge) => judge.id !== recusing.judgeId)!;
    expect(errorCodes(await graphql(url, recuse, { variables: { id: recusing.id, reason: "x" }, token: judgeToken(someoneElse.id) }))).toEqual(["NOT_FOUND"]);
    const result = ok(
      await graphql(url, recuse, { variables: { id: recusing.id, reason: "I know the photographer." }, token: judgeToken(recusing.judgeId) }),
    ).recuse;
    expect(result).toEqual({ reassigned: true, assignment: { id: recusing.id, status: "RECUSED", recusalReason: "I know the photographer.", score: null } });
    expect(errorCodes(await graphql(url, recuse, { variables: { id: recusing.id, reason: "again" }, token: judgeToken(recusing.judgeId) }))).toEqual([
      "CONFLICT",
    ]);

    const after = await api.assignments(round.id);
    const active = after.filter((row) => row.entryId === entry.id && row.status !== "RECUSED");
    expect(active).toHaveLength(2);
    const replacement = active.find((row) => row.origin === "REASSIGNED")!;
    const formerHolders = before.filter((row) => row.entryId === entry.id).map((row) => row.judgeId);
    expect(formerHolders).not.toContain(replacement.judgeId);
    // The judge affiliated with the entry's organisation is never the replacement.
    expect(judgeById.get(replacement.judgeId)!.organizationIds).not.toContain(entry.organizationId);
    // Access follows: the recused judge no longer sees the entry, the new one does.
    expect(await seeJudgeEntry(recusing.judgeId, entry.id)).toBeNull();
    expect(await seeJudgeEntry(replacement.judgeId, entry.id)).toMatchObject({ id: entry.id });
    const mine = ok(
      await graphql(
        url,
        `
          {
            myAssignments(first: 100) {
              edges {
                node {
                  entry {
                    id
                  }
                }
              }
            }
          }
        `,
        { token: judgeToken(recusing.judgeId) },
      ),
    );
    expect(mine.myAssignments.edges.map((edge: any) => edge.node.entry.id)).not.toContain(entry.id);
    // The withdrawn score is in the log, and the log still verifies.
    const history = ok(
      await graphql(
        url,
        `
          query ($r: ID!, $e: ID!) {
            scoreHistory(roundId: $r, entryId: $e) {
              sequence
              kind
              value
            }
            verifyScoreLog(roundId: $r) {
              valid
            }
          }
        `,
        {
          variables: { r: round.id, e: entry.id },
          token: organizerToken(),
        },
      ),
    );
    expect(history.scoreHistory).toEqual([
      { sequence: 1, kind: "SCORED", value: 7 },
      { sequence: 2, kind: "WITHDRAWN", value: null },
    ]);
    expect(history.verifyScoreLog.valid).toBe(true);

    // With every eligible judge already on the entry, nobody can take over: the entry is short of its quorum.
    const small = await api.createRound({ name: "Folk – pairs", kind: "SHORTLIST", theme: "FOLK_CULTURE", divisionId: generated.division.id, quorum: 2 });
    ok(await api.assignJudges({ roundId: small.id, judgeIds: [judges[0].id, judges[1].id] }));
    const holder = (await api.assignments(small.id))[0];
    const none = ok(await graphql(url, recuse, { variables: { id: holder.id, reason: "Conflict." }, token: organizerToken() })).recuse;
    expect(none.reassigned).toBe(false);
    const progress = ok(
      await graphql(
        url,
        `
          query ($r: ID!) {
            judgingProgress(roundId: $r) {
              entriesShortOfQuorum
              recused
            }
          }
        `,
        { variables: { r: small.id }, token: organizerToken() },
      ),
    );
    expect(progress.judgingProgress[0]).toEqual({ entriesShortOfQuorum: 1, recused: 1 });
  });

  it("refuses affiliations that would conflict with a judge's open assignments, and re-sends grants on request", async () => {
    const generated = await generateCompetition(system.dataSources, {
      organizations: 2,
      venuesPerOrganization: 1,
      entriesPerVenue: 1,
      divisionEvery: 1,
      themes: [ThemeCode.EXCHANGES],
    });
    const [judge] = [await seedJudge(system.dataSources.judging)];
    const round = await api.createRound({ name: "Grants", kind: "SHORTLIST", theme: "EXCHANGES", divisionId: generated.division.id, quorum: 1 });
    ok(await api.assignJudges({ roundId: round.id, judgeIds: [judge.id] }));
    await api.openRound(round.id);
    const update = `mutation($input: UpdateJudgeInput!) { updateJudge(input: $input) { id organizations { id } } }`;
    const refused = await graphql(url, update, {
      variables: { input: { id: judge.id, organizationIds: [generated.organizations[0]] } },
      token: organizerToken(),
    });
    expect(errorCodes(refused)).toEqual(["CONFLICT"]);
    expect(refused.errors![0].extensions).toMatchObject({ conflictingAssignments: 1 });
    expect(
      ok(await graphql(url, update, { variables: { input: { id: judge.id, name: "Renamed" } }, token: organizerToken() })).updateJudge.organizations,
    ).toEqual([]);

    // Grants lost on the entries side (e.g. a failed call) come back with syncRoundGrants.
    const entry = generated.entries[0];
    expect(await seeJudgeEntry(judge.id, entry.id)).toMatchObject({ id: entry.id });
    await system.dataSources.entries.query(`DELETE FROM entries.entry_grant WHERE source = $1`, [`round:${round.id}`]);
    expect(await seeJudgeEntry(judge.id, entry.id)).toBeNull();
    expect(
      ok(
        await graphql(
          url,
          `
            mutation ($r: ID!) {
              syncRoundGrants(roundId: $r)
            }
          `,
          { variables: { r: round.id }, token: organizerToken() },
        ),
      ).syncRoundGrants,
    ).toBe(1);
    expect(await seeJudgeEntry(judge.id, entry.id)).toMatchObject({ id: entry.id });

    // Judges are listed for organisers only; a judge sees only themself.
    const list = ok(
      await graphql(
        url,
        `
          {
            judges(first: 100) {
              totalCount
              edges {
                node {
                  id
                  email
                }
              }
            }
          }
        `,
        { token: organizerToken() },
      ),
    ).judges;
    expect(list.edges.map((edge: any) => edge.node.id)).toContain(judge.id);
    expect(
      errorCodes(
        await graphql(
          url,
          `
            {
              judges {
                totalCount
              }
            }
          `,
          { token: judgeToken(judge.id) },
        ),
      ),
    ).toEqual(["FORBIDDEN"]);
    const other = await seedJudge(system.dataSources.judging);
    expect(
      ok(
        await graphql(
          url,
          `
            query ($id: ID!) {
              judge(id: $id) {
                id
              }
            }
          `,
          { variables: { id: other.id }, token: judgeToken(judge.id) },
        ),
      ).judge,
    ).toBeNull();
  });

  it("needs an explicit decision to close a round with unscored assignments: reassign or close anyway", async () => {
    const generated = await generateCompetition(system.dataSources, {
      organizations: 2,
      venuesPerOrganization: 1,
      entriesPerVenue: 2,
      divisionEvery: 1,
      themes: [ThemeCode.TECHNOLOGY],
    });
    const judges = [await seedJudge(system.dataSources.judging), await seedJudge(system.dataSources.judging), await seedJudge(system.dataSources.judging)];
    const round = await api.createRound({ name: "Tech", kind: "SHORTLIST", theme: "TECHNOLOGY", divisionId: generated.division.id, quorum: 1 });
    ok(await api.assignJudges({ roundId: round.id, judgeIds: judges.map((judge) => judge.id) }));
    await api.openRound(round.id);
    const assignments = await api.assignments(round.id);
    const [first, ...rest] = assignments;
    ok(await api.submitScore(first.judgeId, { roundId: round.id, entryId: first.entryId, pass: true }));

    const refused = await api.closeRound(round.id);
    expect(errorCodes(refused)).toEqual(["CONFLICT"]);
    expect(refused.errors![0].extensions).toMatchObject({ unscoredAssignments: rest.length });

    // Reassign one idle judge's work: it moves to judges who are not on those entries.
    const idle = rest[0].judgeId;
    const moved = ok(
      await graphql(
        url,
        `
          mutation ($r: ID!, $j: ID!) {
            reassignUnscoredAssignments(roundId: $r, judgeId: $j) {
              moved
              unmoved
            }
          }
        `,
        {
          variables: { r: round.id, j: idle },
          token: organizerToken(),
        },
      ),
    ).reassignUnscoredAssignments;
    const idleCount = rest.filter((row) => row.judgeId === idle).length;
    expect(moved).toEqual({ moved: idleCount, unmoved: 0 });
    expect((await api.assignments(round.id)).filter((row) => row.judgeId === idle && row.status === "ASSIGNED")).toEqual([]);

    const closed = ok(await api.closeRound(round.id, true)).closeRound;
    expect(closed).toEqual({ id: round.id, status: "CLOSED", closedWithUnscored: rest.length });
    // Closed: no more scores, no more changes.
    const pending = (await api.assignments(round.id)).find((row) => row.status === "ASSIGNED")!;
    expect(errorCodes(await api.submitScore(pending.judgeId, { roundId: round.id, entryId: pending.entryId, pass: true }))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await api.addAssignment({ roundId: round.id, entryId: first.entryId, judgeId: judges[2].id }))).toEqual(["CONFLICT"]);
  });
});
