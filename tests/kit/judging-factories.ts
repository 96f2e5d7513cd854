// Judging's part of the seeding kit: judges straight in the database, rounds and scores through the API
// (so entry grants and the score log are built as in production), and generated competitions with many venues.
import type { DataSource } from "typeorm";
import { ThemeCode } from "../../lib/themes";
import { Judge } from "../../subgraphs/judging/judge/judge.entity";
import type { Division } from "../../subgraphs/venues/division/division.entity";
import type { Venue } from "../../subgraphs/venues/venue/venue.entity";
import type { Entry } from "../../subgraphs/entries/entry/entry.entity";
import { seedDivision, seedEntry, seedOrganization, seedVenue, unique } from "./factories";
import { graphql, GraphqlResponse, tokenFor } from "./http";

export const organizerToken = () => tokenFor({ role: "ORGANIZER" });
export const judgeToken = (judgeId: string) => tokenFor({ role: "JUDGE", judge: judgeId, sub: `test:judge:${judgeId}` });

export async function seedJudge(judging: DataSource, overrides: Partial<Judge> = {}): Promise<Judge> {
  return judging.getRepository(Judge).save({ name: `Judge ${unique()}`, email: null, organizationIds: [], venueIds: [], ...overrides });
}

/** Fails the test with the response's errors when there are any, and returns its data. */
export function ok<T = Record<string, any>>(response: GraphqlResponse<T>): T {
  if (response.errors?.length || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors ?? response)}`);
  return response.data;
}

/** The judging mutations a test drives, as an organiser (or as a judge for scores and recusals). */
export function judgingApi(url: string) {
  const asOrganizer = (query: string, variables: Record<string, unknown>) => graphql(url, query, { variables, token: organizerToken() });
  return {
    createRound: async (input: Record<string, unknown>) =>
      ok(await asOrganizer(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id kind status quorum passVotes } }`, { input })).createRound,
    assignJudges: (input: Record<string, unknown>) =>
      asOrganizer(`mutation($input: AssignJudgesInput!) { assignJudges(input: $input) { entries assignments seed judges { judge { id } assigned } } }`, {
        input,
      }),
    openRound: async (id: string) => ok(await asOrganizer(`mutation($id: ID!) { openRound(id: $id) { id status } }`, { id })).openRound,
    closeRound: (id: string, closeAnyway = false) =>
      asOrganizer(`mutation($id: ID!, $closeAnyway: Boolean!) { closeRound(id: $id, closeAnyway: $closeAnyway) { id status closedWithUnscored } }`, {
        id,
        closeAnyway,
      }),
    submitScore: (judgeId: string, input: Record<string, unknown>) =>
      graphql(
        url,
        `
          mutation ($input: SubmitScoreInput!) {
            submitScore(input: $input) {
              id
              value
              pass
              version
              criteria {
                code
                value
              }
            }
          }
        `,
        {
          variables: { input },
          token: judgeToken(judgeId),
        },
      ),
    /** A judge recuses themself from one of their assignments; answers the raw response. */
    recuse: (judgeId: string, assignmentId: string, reason = "conflict of interest") =>
      graphql(
        url,
        `
          mutation ($id: ID!, $reason: String!) {
            recuse(assignmentId: $id, reason: $reason) {
              assignment {
                status
              }
            }
          }
        `,
        {
          variables: { id: assignmentId, reason },
          token: judgeToken(judgeId),
        },
      ),
    addAssignment: (input: Record<string, unknown>) =>
      asOrganizer(`mutation($input: AddAssignmentInput!) { addAssignment(input: $input) { id status origin } }`, { input }),
    /** Every assignment of a round (organiser view), as { id, entryId, judgeId, status }. */
    assignments: async (roundId: string) => {
      const rows: { id: string; entryId: string; judgeId: string; status: string; origin: string }[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = ok(
          await asOrganizer(
            `query($roundId: ID!, $after: String) { roundAssignments(roundId: $roundId, first: 100, after: $after) {
               edges { node { id status origin entry { id } judge { id } } } pageInfo { hasNextPage endCursor } } }`,
            { roundId, after },
          ),
        );
        for (const { node } of data.roundAssignments.edges)
          rows.push({ id: node.id, entryId: node.entry.id, judgeId: node.judge.id, status: node.status, origin: node.origin });
        if (!data.roundAssignments.pageInfo.hasNextPage) return rows;
        after = data.roundAssignments.pageInfo.endCursor;
      }
    },
  };
}

export interface GeneratedCompetition {
  organizations: string[];
  venues: Venue[];
  division: Division;
  entries: Entry[];
}

/**
 * Many organisations and venues (some in one division), each with entries in the given themes.
 * `entriesPerVenue` entries per venue, themes taken in turn.
 */
export async function generateCompetition(
  dataSources: { venues: DataSource; entries: DataSource },
  options: { organizations: number; venuesPerOrganization: number; entriesPerVenue: number; themes?: ThemeCode[]; divisionEvery?: number },
): Promise<GeneratedCompetition> {
  const themes = options.themes ?? [ThemeCode.NATURE];
  const division = await seedDivision(dataSources.venues, { code: unique("PT"), name: "Portugal Division", country: "PT" });
  const organizations: string[] = [];
  const venues: Venue[] = [];
  const entries: Entry[] = [];
  for (let o = 0; o < options.organizations; o++) {
    const organization = await seedOrganization(dataSources.venues);
    organizations.push(organization.id);
    for (let v = 0; v < options.venuesPerOrganization; v++) {
      const inDivision = options.divisionEvery ? venues.length % options.divisionEvery === 0 : false;
      venues.push(
        await seedVenue(dataSources.venues, {
          organizationId: organization.id,
          country: inDivision ? "PT" : "CN",
          divisionId: inDivision ? division.id : null,
        }),
      );
    }
  }
  let turn = 0;
  for (const venue of venues) {
    for (let e = 0; e < options.entriesPerVenue; e++) {
      entries.push(
        await seedEntry(dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId, themeCode: themes[turn++ % themes.length] }),
      );
    }
  }
  return { organizations, venues, division, entries };
}

export { statementsOf } from "./http";
