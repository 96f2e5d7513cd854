// Scoring: the rules, judges seeing only their own scores, the hash-chained log and its check, normalisation
// against hand-computed examples (with explanations, and the few-score rule), the acceptance cap and tie-break,
// and shortlist rounds feeding later rounds.
import type { DataSource } from "typeorm";
import { startSystem, TestSystem } from "../kit/system";
import { entities, errorCodes, graphql } from "../kit/http";
import { seedDivision, seedEntry, seedVenue, unique } from "../kit/factories";
import { judgeToken, judgingApi, ok, organizerToken, seedJudge } from "../kit/judging-factories";
import { ThemeCode } from "../../lib/themes";
import type { Entry } from "../../subgraphs/entries/entry/entry.entity";
import type { Judge } from "../../subgraphs/judging/judge/judge.entity";

describe("judging: scoring, log, leaderboard", () => {
  let system: TestSystem;
  let api: ReturnType<typeof judgingApi>;
  let url: string;
  let judging: DataSource;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries", "judging"], gateway: false });
    url = system.urls.judging;
    judging = system.dataSources.judging;
    api = judgingApi(url);
  });
  afterAll(() => system.stop());

  /** Entries in their own division (so each test's round covers only its entries), sorted by id. */
  async function entriesInNewDivision(themes: ThemeCode[]): Promise<{ divisionId: string; entries: Entry[] }> {
    const division = await seedDivision(system.dataSources.venues, { code: unique("D") });
    const venue = await seedVenue(system.dataSources.venues, { divisionId: division.id, country: "PT" });
    const entries: Entry[] = [];
    for (const theme of themes)
      entries.push(await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, themeCode: theme }));
    return { divisionId: division.id, entries: entries.sort((a, b) => (a.id < b.id ? -1 : 1)) };
  }

  async function judges(count: number): Promise<Judge[]> {
    const list: Judge[] = [];
    for (let i = 0; i < count; i++) list.push(await seedJudge(judging));
    return list;
  }

  /** A round in which every judge is assigned every entry (quorum = number of judges), opened. */
  async function openRoundForAll(input: Record<string, unknown>, pool: Judge[]) {
    const round = await api.createRound({ quorum: pool.length, ...input });
    ok(await api.assignJudges({ roundId: round.id, judgeIds: pool.map((judge) => judge.id) }));
    await api.openRound(round.id);
    return round;
  }

  const leaderboardQuery = `query($r: ID!, $theme: ThemeCode, $d: ID, $first: Int, $after: String) {
    leaderboard(roundId: $r, theme: $theme, divisionId: $d, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { rank themeRank entry { id } meanScore normalizedScore judgeCount assignedJudgeCount yesVotes accepted theme division { id } } } } }`;
  const leaderboard = async (variables: Record<string, unknown>) =>
    ok(await graphql(url, leaderboardQuery, { variables, token: organizerToken() })).leaderboard;

  it("applies the scoring rules, stores nothing when one fails, and shows judges only their own scores", async () => {
    const { divisionId, entries } = await entriesInNewDivision([ThemeCode.NATURE, ThemeCode.NATURE]);
    const [a, b] = await judges(2);
    const outsider = await seedJudge(judging);
    const criteria = [
      { code: "impact", name: "Impact", weight: 2 },
      { code: "composition", name: "Composition", weight: 1 },
      { code: "technique", name: "Technique", weight: 1 },
    ];
    const draft = await api.createRound({ name: "Weighted", kind: "SCORE", divisionId, quorum: 2, scale: { min: 1, max: 10, step: 0.5 }, criteria });
    ok(await api.assignJudges({ roundId: draft.id, judgeIds: [a.id, b.id] }));
    const valid = {
      roundId: draft.id,
      entryId: entries[0].id,
      criteria: [
        { code: "impact", value: 8 },
        { code: "composition", value: 6.5 },
        { code: "technique", value: 7 },
      ],
    };
    expect(errorCodes(await api.submitScore(a.id, valid))).toEqual(["FORBIDDEN"]); // DRAFT: not open yet
    await api.openRound(draft.id);

    const refusals: [Judge, Record<string, unknown>, string][] = [
      [a, { ...valid, criteria: [...valid.criteria.slice(0, 2), { code: "technique", value: 7.3 }] }, "BAD_USER_INPUT"], // off the step
      [a, { ...valid, criteria: [...valid.criteria.slice(0, 2), { code: "technique", value: 10.5 }] }, "BAD_USER_INPUT"], // off the scale
      [a, { ...valid, criteria: valid.criteria.slice(0, 2) }, "BAD_USER_INPUT"], // a criterion missing
      [a, { ...valid, criteria: [...valid.criteria, { code: "luck", value: 5 }] }, "BAD_USER_INPUT"], // unknown criterion
      [a, { roundId: draft.id, entryId: entries[0].id, value: 7 }, "BAD_USER_INPUT"], // several criteria: value alone is not enough
      [a, { ...valid, pass: true }, "BAD_USER_INPUT"], // a vote in a SCORE round
      [outsider, valid, "FORBIDDEN"], // not assigned to the caller
    ];
    for (const [judge, input, code] of refusals) expect(errorCodes(await api.submitScore(judge.id, input))).toEqual([code]);
    const asOrganizer = await graphql(
      url,
      `
        mutation ($input: SubmitScoreInput!) {
          submitScore(input: $input) {
            id
          }
        }
      `,
      { variables: { input: valid }, token: organizerToken() },
    );
    expect(errorCodes(asOrganizer)).toEqual(["FORBIDDEN"]);
    const stored = async () =>
      (
        await judging.query(
          `SELECT (SELECT count(*) FROM judging.score WHERE round_id = $1)::int AS scores, (SELECT count(*) FROM judging.score_event WHERE round_id = $1)::int AS events`,
          [draft.id],
        )
      )[0];
    expect(await stored()).toEqual({ scores: 0, events: 0 });

    // Weighted mean: (2 × 8 + 6.5 + 7) / 4 = 7.375. A change raises the version and appends to the log.
    expect(ok(await api.submitScore(a.id, valid)).submitScore).toMatchObject({ value: 7.375, version: 1, pass: null });
    const changed = ok(await api.submitScore(a.id, { ...valid, criteria: [{ code: "impact", value: 9 }, ...valid.criteria.slice(1)] })).submitScore;
    expect(changed).toMatchObject({
      value: 7.875,
      version: 2,
      criteria: [
        { code: "impact", value: 9 },
        { code: "composition", value: 6.5 },
        { code: "technique", value: 7 },
      ],
    });
    ok(await api.submitScore(b.id, { ...valid, criteria: valid.criteria.map((criterion) => ({ ...criterion, value: 5 })) }));
    expect(await stored()).toEqual({ scores: 2, events: 3 });

    // Another judge's score is never visible to a judge, through any path; organisers see both.
    const scoresOf = async (token: string) => {
      const response = await entities(url, [{ __typename: "Entry", id: entries[0].id }], "... on Entry { scores { value judge { id } } }", token);
      expect(response.errors).toBeUndefined();
      return response.data!._entities[0].scores;
    };
    expect(await scoresOf(judgeToken(b.id))).toEqual([{ value: 5, judge: { id: b.id } }]);
    expect(await scoresOf(judgeToken(a.id))).toEqual([{ value: 7.875, judge: { id: a.id } }]);
    expect(await scoresOf(organizerToken())).toHaveLength(2);
    expect(await scoresOf(judgeToken(outsider.id))).toEqual([]);
    const mine = ok(
      await graphql(
        url,
        `
          query ($r: ID!) {
            myAssignments(roundId: $r) {
              totalCount
              edges {
                node {
                  entry {
                    id
                  }
                  score {
                    value
                  }
                }
              }
            }
            myJudgingProgress(roundId: $r) {
              assigned
              scored
              pending
              meanScore
              distribution {
                value
                count
              }
            }
          }
        `,
        {
          variables: { r: draft.id },
          token: judgeToken(b.id),
        },
      ),
    );
    expect(mine.myAssignments.totalCount).toBe(2);
    expect(mine.myAssignments.edges.map((edge: any) => edge.node.score?.value ?? null).sort()).toEqual([5, null]);
    expect(mine.myJudgingProgress).toEqual({ assigned: 2, scored: 1, pending: 1, meanScore: 5, distribution: [{ value: 5, count: 1 }] });
    // A judge cannot read the leaderboard or the log.
    expect(errorCodes(await graphql(url, leaderboardQuery, { variables: { r: draft.id }, token: judgeToken(a.id) }))).toEqual(["FORBIDDEN"]);
    expect(
      errorCodes(
        await graphql(
          url,
          `
            query ($r: ID!) {
              verifyScoreLog(roundId: $r) {
                valid
              }
            }
          `,
          { variables: { r: draft.id }, token: judgeToken(a.id) },
        ),
      ),
    ).toEqual(["FORBIDDEN"]);
  });

  it("validates round settings with coded errors", async () => {
    const create = (input: Record<string, unknown>) =>
      graphql(
        url,
        `
          mutation ($input: CreateRoundInput!) {
            createRound(input: $input) {
              id
            }
          }
        `,
        { variables: { input }, token: organizerToken() },
      );
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "x", kind: "SCORE", scale: { min: 1, max: 10, step: 0.4 } }, "BAD_USER_INPUT"], // 9 is not a whole number of 0.4 steps
      [{ name: "x", kind: "SCORE", scale: { min: 5, max: 5, step: 1 } }, "BAD_USER_INPUT"],
      [
        {
          name: "x",
          kind: "SCORE",
          criteria: [
            { code: "a", name: "A" },
            { code: "a", name: "B" },
          ],
        },
        "BAD_USER_INPUT",
      ],
      [{ name: "x", kind: "SCORE", criteria: [{ code: "impact", name: "Impact", weight: 0 }] }, "BAD_USER_INPUT"],
      [{ name: "x", kind: "SCORE", passVotes: 2 }, "BAD_USER_INPUT"],
      [{ name: "x", kind: "SHORTLIST", quorum: 3, passVotes: 4 }, "BAD_USER_INPUT"],
      [{ name: "x", kind: "SHORTLIST", scale: { min: 1, max: 5, step: 1 } }, "BAD_USER_INPUT"],
      [{ name: "x", kind: "SCORE", quorum: 0 }, "BAD_USER_INPUT"],
      [{ name: "x", kind: "SCORE", acceptanceCapPercent: 120 }, "BAD_USER_INPUT"],
      [{ name: "x", kind: "SCORE", divisionId: "7a1f1c1e-0000-4000-8000-000000000000" }, "NOT_FOUND"],
      [{ name: "x", kind: "SCORE", previousRoundId: "not-an-id" }, "BAD_USER_INPUT"],
    ];
    for (const [input, code] of cases) expect([JSON.stringify(input), errorCodes(await create(input))]).toEqual([JSON.stringify(input), [code]]);
    const round = ok(await create({ name: "Defaults", kind: "SHORTLIST", quorum: 5 })).createRound;
    const details = ok(
      await graphql(
        url,
        `
          query ($id: ID!) {
            round(id: $id) {
              passVotes
              quorum
              scale {
                min
              }
              criteria {
                code
              }
              acceptanceCapPercent
              status
            }
          }
        `,
        { variables: { id: round.id }, token: organizerToken() },
      ),
    ).round;
    expect(details).toEqual({ passVotes: 3, quorum: 5, scale: null, criteria: [], acceptanceCapPercent: 30, status: "DRAFT" });
    const lowerQuorum = await graphql(
      url,
      `
        mutation ($input: UpdateRoundInput!) {
          updateRound(input: $input) {
            quorum
          }
        }
      `,
      { variables: { input: { id: round.id, quorum: 2 } }, token: organizerToken() },
    );
    expect(errorCodes(lowerQuorum)).toEqual(["BAD_USER_INPUT"]); // passVotes 3 would exceed it
  });

  it("serialises concurrent scores into one unbroken chain", async () => {
    const { divisionId, entries } = await entriesInNewDivision(Array(5).fill(ThemeCode.NATURE));
    const pool = await judges(4);
    const round = await openRoundForAll({ name: "Rush", kind: "SCORE", divisionId, scale: { min: 1, max: 10, step: 1 } }, pool);
    const submissions = pool.flatMap((judge, j) =>
      entries.map((entry, e) => api.submitScore(judge.id, { roundId: round.id, entryId: entry.id, value: 1 + ((j + e) % 10) })),
    );
    for (const response of await Promise.all(submissions)) expect(response.errors).toBeUndefined();
    const check = ok(
      await graphql(
        url,
        `
          query ($r: ID!) {
            verifyScoreLog(roundId: $r) {
              valid
              eventsChecked
            }
          }
        `,
        { variables: { r: round.id }, token: organizerToken() },
      ),
    ).verifyScoreLog;
    expect(check).toEqual({ valid: true, eventsChecked: 20 });
  });

  it("keeps an append-only, hash-chained score log whose check reveals an edited record", async () => {
    const { divisionId, entries } = await entriesInNewDivision([ThemeCode.EXCHANGES, ThemeCode.EXCHANGES]);
    const pool = await judges(2);
    const round = await openRoundForAll({ name: "Audit", kind: "SCORE", divisionId, scale: { min: 1, max: 5, step: 1 } }, pool);
    for (const judge of pool) for (const entry of entries) ok(await api.submitScore(judge.id, { roundId: round.id, entryId: entry.id, value: 3 }));
    ok(await api.submitScore(pool[0].id, { roundId: round.id, entryId: entries[0].id, value: 4 }));
    const verify = `query($r: ID!) { verifyScoreLog(roundId: $r) { valid eventsChecked headHash problems { sequence problem } } }`;
    const clean = ok(await graphql(url, verify, { variables: { r: round.id }, token: organizerToken() })).verifyScoreLog;
    expect(clean).toMatchObject({ valid: true, eventsChecked: 5, problems: [] });
    const history = ok(
      await graphql(
        url,
        `
          query ($r: ID!, $e: ID!) {
            scoreHistory(roundId: $r, entryId: $e) {
              sequence
              value
              previousHash
              hash
              judge {
                id
              }
            }
          }
        `,
        {
          variables: { r: round.id, e: entries[0].id },
          token: organizerToken(),
        },
      ),
    ).scoreHistory;
    expect(history.map((event: any) => event.value)).toEqual([3, 3, 4]);
    expect(history[0].previousHash).toBe("0".repeat(64));

    // The database refuses edits and deletions outright…
    await expect(judging.query(`UPDATE judging.score_event SET value = 5 WHERE round_id = $1 AND sequence = 2`, [round.id])).rejects.toThrow(/append-only/);
    await expect(judging.query(`DELETE FROM judging.score_event WHERE round_id = $1`, [round.id])).rejects.toThrow(/append-only/);
    // …and someone who bypasses that is caught by the chain.
    await judging.query(`ALTER TABLE judging.score_event DISABLE TRIGGER score_event_append_only`);
    try {
      await judging.query(`UPDATE judging.score_event SET value = 5 WHERE round_id = $1 AND sequence = 2`, [round.id]);
    } finally {
      await judging.query(`ALTER TABLE judging.score_event ENABLE TRIGGER score_event_append_only`);
    }
    const tampered = ok(await graphql(url, verify, { variables: { r: round.id }, token: organizerToken() })).verifyScoreLog;
    expect(tampered.valid).toBe(false);
    expect(tampered.problems).toContainEqual({ sequence: 2, problem: expect.stringMatching(/does not match its hash/) });

    // A current score changed behind the log's back is reported too.
    const { divisionId: other, entries: more } = await entriesInNewDivision([ThemeCode.EXCHANGES]);
    const second = await openRoundForAll({ name: "Audit 2", kind: "SCORE", divisionId: other }, pool.slice(0, 1));
    ok(await api.submitScore(pool[0].id, { roundId: second.id, entryId: more[0].id, value: 6 }));
    expect(ok(await graphql(url, verify, { variables: { r: second.id }, token: organizerToken() })).verifyScoreLog.valid).toBe(true);
    await judging.query(`UPDATE judging.score SET value = 9.5 WHERE round_id = $1`, [second.id]);
    const edited = ok(await graphql(url, verify, { variables: { r: second.id }, token: organizerToken() })).verifyScoreLog;
    expect(edited.valid).toBe(false);
    expect(edited.problems[0].problem).toMatch(/differs from its last log record/);
  });

  const explainQuery = `query($r: ID!) { leaderboard(roundId: $r) { edges { node { entry { id } normalizedScore explanation {
    contributions { judge { id } score judgeScoreCount judgeMean judgeSpread basis zScore } meanZScore roundMean roundSpread rescaled normalizedScore } } } } }`;

  it("normalises scores per judge (z-score rescaled to the scale) as computed by hand, and explains each row", async () => {
    const { divisionId, entries } = await entriesInNewDivision(Array(5).fill(ThemeCode.OVERSEAS));
    const [harsh, lenient] = await judges(2);
    const round = await openRoundForAll({ name: "Normalisation", kind: "SCORE", divisionId, scale: { min: 1, max: 10, step: 0.5 } }, [harsh, lenient]);
    // Harsh: 2, 3, 4, 5, 6 (mean 4, σ = √2); lenient: 6, 7, 8, 9, 10 (mean 8, σ = √2). Both order the entries alike.
    for (const [index, entry] of entries.entries()) {
      ok(await api.submitScore(harsh.id, { roundId: round.id, entryId: entry.id, value: 2 + index }));
      ok(await api.submitScore(lenient.id, { roundId: round.id, entryId: entry.id, value: 6 + index }));
    }
    ok(await api.closeRound(round.id));
    // By hand: z = −√2, −√2/2, 0, √2/2, √2 from both judges. All ten scores: mean 6, σ = √(420/10 − 36) = √6.
    // Normalised = 6 + z × √6: 6 − √12, 6 − √3, 6, 6 + √3, 6 + √12.
    const expected = [6 - Math.sqrt(12), 6 - Math.sqrt(3), 6, 6 + Math.sqrt(3), 6 + Math.sqrt(12)];
    const board = ok(await graphql(url, explainQuery, { variables: { r: round.id }, token: organizerToken() })).leaderboard;
    expect(board.edges.map((edge: any) => edge.node.entry.id)).toEqual([...entries].reverse().map((entry) => entry.id));
    for (const { node } of board.edges) {
      const index = entries.findIndex((entry) => entry.id === node.entry.id);
      expect(node.normalizedScore).toBeCloseTo(expected[index], 5);
      expect(node.explanation.normalizedScore).toBe(node.normalizedScore);
      expect(node.explanation).toMatchObject({ roundMean: 6, roundSpread: 2.449489743 });
      expect(node.explanation.meanZScore).toBeCloseTo((index - 2) / Math.SQRT2, 8);
      expect(node.explanation.contributions).toEqual(
        [
          { judge: { id: harsh.id }, score: 2 + index, judgeScoreCount: 5, judgeMean: 4, judgeSpread: 1.414213562, basis: "JUDGE", zScore: expect.any(Number) },
          {
            judge: { id: lenient.id },
            score: 6 + index,
            judgeScoreCount: 5,
            judgeMean: 8,
            judgeSpread: 1.414213562,
            basis: "JUDGE",
            zScore: expect.any(Number),
          },
        ].sort((a, b) => (a.judge.id < b.judge.id ? -1 : 1)),
      );
      for (const contribution of node.explanation.contributions) expect(contribution.zScore).toBeCloseTo((index - 2) / Math.SQRT2, 8);
    }
    // Judges never see the leaderboard, let alone other judges' scores in its explanations.
    expect(errorCodes(await graphql(url, explainQuery, { variables: { r: round.id }, token: judgeToken(harsh.id) }))).toEqual(["FORBIDDEN"]);
  });

  it("takes the scores of judges with fewer than 5 scores at face value, on the round's scale", async () => {
    const { divisionId, entries } = await entriesInNewDivision([ThemeCode.OVERSEAS, ThemeCode.OVERSEAS, ThemeCode.OVERSEAS, ThemeCode.OVERSEAS]);
    const [e1, e2, e3, e4] = entries;
    const [harsh, lenient, third] = await judges(3);
    const round = await openRoundForAll({ name: "Few scores", kind: "SCORE", divisionId, scale: { min: 1, max: 10, step: 0.5 } }, [harsh, lenient, third]);
    const scores: [Judge, Entry, number][] = [
      [harsh, e1, 4],
      [harsh, e2, 6],
      [harsh, e3, 5],
      [lenient, e2, 9],
      [lenient, e3, 10],
      [lenient, e4, 8],
      [third, e1, 7],
      [third, e4, 6],
    ];
    for (const [judge, entry, value] of scores) ok(await api.submitScore(judge.id, { roundId: round.id, entryId: entry.id, value }));
    ok(await api.closeRound(round.id, true));
    // Every judge gave 2 or 3 scores: z = (x − 6.875) / σ with the round's σ = √3.609375, so μ + mean z × σ is the
    // raw mean (to the 6th decimal): e1 5.5, e2 = e3 7.5, e4 7. (Per-judge normalisation used to rank e1 above e4.)
    const board = await leaderboard({ r: round.id });
    expect(
      board.edges.map((edge: any) => [edge.node.entry.id, edge.node.normalizedScore, edge.node.meanScore, edge.node.judgeCount, edge.node.assignedJudgeCount]),
    ).toEqual([
      [e2.id, 7.5, 7.5, 2, 3],
      [e3.id, 7.5, 7.5, 2, 3],
      [e4.id, 7, 7, 2, 3],
      [e1.id, 5.5, 5.5, 2, 3],
    ]);
  });

  it("accepts at most 30% of each theme's entries, ranks with the documented tie-break, and pages", async () => {
    const themes = [...Array(10).fill(ThemeCode.FOLK_CULTURE), ...Array(4).fill(ThemeCode.TECHNOLOGY)] as ThemeCode[];
    const { divisionId, entries } = await entriesInNewDivision(themes);
    const folk = entries.filter((entry) => entry.themeCode === ThemeCode.FOLK_CULTURE);
    const tech = entries.filter((entry) => entry.themeCode === ThemeCode.TECHNOLOGY);
    const [judge] = await judges(1);
    const round = await openRoundForAll({ name: "Cap", kind: "SCORE", divisionId, scale: { min: 1, max: 10, step: 1 } }, [judge]);
    // Folk: 9, 8, 8 (a tie), 7, 6, 5, 4, 3 and two entries unscored. Tech: 9, 8, 7, 6.
    const folkValues = [9, 8, 8, 7, 6, 5, 4, 3];
    for (const [index, value] of folkValues.entries()) ok(await api.submitScore(judge.id, { roundId: round.id, entryId: folk[index].id, value }));
    for (const [index, value] of [9, 8, 7, 6].entries()) ok(await api.submitScore(judge.id, { roundId: round.id, entryId: tech[index].id, value }));
    ok(await api.closeRound(round.id, true));

    const board = await leaderboard({ r: round.id, theme: "FOLK_CULTURE", d: divisionId, first: 100 });
    expect(board.totalCount).toBe(10);
    const nodes = board.edges.map((edge: any) => edge.node);
    // floor(10 × 30%) = 3 accepted: the 9 and both 8s; the tie between the 8s goes to the lower entry id.
    expect(nodes.filter((node: any) => node.accepted).map((node: any) => node.entry.id)).toEqual([folk[0].id, folk[1].id, folk[2].id]);
    expect(nodes.map((node: any) => node.meanScore)).toEqual([9, 8, 8, 7, 6, 5, 4, 3, null, null]);
    expect(nodes.slice(8).map((node: any) => ({ judgeCount: node.judgeCount, normalizedScore: node.normalizedScore, accepted: node.accepted }))).toEqual([
      { judgeCount: 0, normalizedScore: null, accepted: false },
      { judgeCount: 0, normalizedScore: null, accepted: false },
    ]);
    expect(nodes[0].division).toEqual({ id: divisionId });
    // Tech: floor(4 × 30%) = 1 accepted.
    const techBoard = await leaderboard({ r: round.id, theme: "TECHNOLOGY" });
    expect(techBoard.edges.filter((edge: any) => edge.node.accepted).map((edge: any) => edge.node.entry.id)).toEqual([tech[0].id]);

    // Pages follow the ranking without gaps or repeats.
    const firstPage = await leaderboard({ r: round.id, theme: "FOLK_CULTURE", first: 4 });
    const secondPage = await leaderboard({ r: round.id, theme: "FOLK_CULTURE", first: 4, after: firstPage.pageInfo.endCursor });
    expect([...firstPage.edges, ...secondPage.edges].map((edge: any) => edge.node.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(secondPage.pageInfo.hasNextPage).toBe(true);

    // A different cap: 50% of 10 = 5.
    ok(
      await graphql(
        url,
        `
          mutation ($input: UpdateRoundInput!) {
            updateRound(input: $input) {
              id
            }
          }
        `,
        { variables: { input: { id: round.id, acceptanceCapPercent: 50 } }, token: organizerToken() },
      ),
    );
    const wider = await leaderboard({ r: round.id, theme: "FOLK_CULTURE" });
    expect(wider.edges.filter((edge: any) => edge.node.accepted)).toHaveLength(5);
  });

  it("passes shortlisted entries with k of n yes votes, and a later round judges only those", async () => {
    const { divisionId, entries } = await entriesInNewDivision([ThemeCode.NATURE, ThemeCode.NATURE, ThemeCode.NATURE, ThemeCode.NATURE]);
    const pool = await judges(3);
    const shortlist = await openRoundForAll({ name: "Shortlist", kind: "SHORTLIST", divisionId, passVotes: 2 }, pool);
    expect(shortlist.passVotes).toBe(2);
    const votes = [
      [true, true, false], // passes
      [true, false, false], // fails
      [true, true, true], // passes
      [false, false, true], // fails
    ];
    for (const [entryIndex, row] of votes.entries()) {
      for (const [judgeIndex, pass] of row.entries())
        ok(await api.submitScore(pool[judgeIndex].id, { roundId: shortlist.id, entryId: entries[entryIndex].id, pass }));
    }
    expect(errorCodes(await api.submitScore(pool[0].id, { roundId: shortlist.id, entryId: entries[0].id, value: 5 }))).toEqual(["BAD_USER_INPUT"]);
    const later = await api.createRound({ name: "Final", kind: "SCORE", previousRoundId: shortlist.id, quorum: 2 });
    expect(errorCodes(await api.assignJudges({ roundId: later.id, judgeIds: pool.map((judge) => judge.id) }))).toEqual(["CONFLICT"]); // previous round still open
    ok(await api.closeRound(shortlist.id));

    const board = await leaderboard({ r: shortlist.id });
    const byEntry = new Map(board.edges.map((edge: any) => [edge.node.entry.id, edge.node]));
    expect(entries.map((entry) => (byEntry.get(entry.id) as any).accepted)).toEqual([true, false, true, false]);
    expect(entries.map((entry) => (byEntry.get(entry.id) as any).yesVotes)).toEqual([2, 1, 3, 1]);
    expect(board.edges[0].node).toMatchObject({ entry: { id: entries[2].id }, meanScore: 1, normalizedScore: null });

    const summary = ok(await api.assignJudges({ roundId: later.id, judgeIds: pool.map((judge) => judge.id) })).assignJudges;
    expect(summary.entries).toBe(2);
    expect(new Set((await api.assignments(later.id)).map((row) => row.entryId))).toEqual(new Set([entries[0].id, entries[2].id]));
  });
});
