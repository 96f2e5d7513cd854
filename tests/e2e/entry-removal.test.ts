import { seedCompetition, seedEntry, seedVenue } from "../kit/factories";
import { graphql, tokenFor } from "../kit/http";
import { judgeToken, judgingApi, ok, seedJudge } from "../kit/judging-factories";
import { startSystem, TestSystem } from "../kit/system";

/** A withdrawn entry leaves the judges' lists, through the entries outbox, without anyone calling judging. */
describe("an entry that leaves the competition", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem();
    await seedCompetition(system.dataSources.entries);
  });
  afterAll(() => system.stop());

  it("disappears from its judges' assignments in an open round once withdrawn", async () => {
    const venue = await seedVenue(system.dataSources.venues);
    const entries: Awaited<ReturnType<typeof seedEntry>>[] = [];
    for (let i = 0; i < 3; i++) entries.push(await seedEntry(system.dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId }));
    const judges: Awaited<ReturnType<typeof seedJudge>>[] = [];
    for (let i = 0; i < 3; i++) judges.push(await seedJudge(system.dataSources.judging));
    const api = judgingApi(system.gatewayUrl);
    const round = await api.createRound({ name: "Open round", kind: "SCORE", quorum: 3 });
    ok(await api.assignJudges({ roundId: round.id, judgeIds: judges.map((judge) => judge.id), quorum: 3, seed: "removal" }));
    await api.openRound(round.id);

    const mine = async () =>
      ok(
        await graphql(
          system.gatewayUrl,
          `
            query ($roundId: ID) {
              myAssignments(roundId: $roundId, first: 100) {
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
          {
            variables: { roundId: round.id },
            token: judgeToken(judges[0].id),
          },
        ),
      ).myAssignments.edges.map((edge: { node: { entry: { id: string } } }) => edge.node.entry.id);
    expect((await mine()).sort()).toEqual(entries.map((entry) => entry.id).sort());

    const withdrawn = await graphql(
      system.gatewayUrl,
      `
        mutation ($id: ID!) {
          withdrawEntry(id: $id) {
            status
          }
        }
      `,
      {
        variables: { id: entries[0].id },
        token: tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] }),
      },
    );
    expect(withdrawn.data!.withdrawEntry.status).toBe("WITHDRAWN");
    let listed = await mine();
    for (let attempt = 0; attempt < 50 && listed.includes(entries[0].id); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed = await mine();
    }
    expect(listed.sort()).toEqual([entries[1].id, entries[2].id].sort());
  });
});
