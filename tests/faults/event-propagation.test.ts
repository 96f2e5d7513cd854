// Changes that another subgraph must learn travel as events, so an entries subgraph that is hung (SIGSTOP) or down
// (killed) holds nothing up: publishing an exhibition, publishing awards and opening a round to its judges are
// accepted at once, nothing becomes visible early, no database lock is held while waiting, and everything
// completes by itself once the entries subgraph is back. Every service runs in its own process.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { SUBGRAPH_NAMES, SubgraphName } from "../../lib/config";
import { createTestDatabase } from "../kit/database";
import { graphql, tokenFor } from "../kit/http";
import { seedCompetition, seedEntry, seedVenue } from "../kit/factories";
import { seedJudge } from "../kit/judging-factories";
import { ProcessSystem, openSubgraphDatabases, waitFor } from "./support";

describe("events while the entries subgraph is hung or down", () => {
  let system: ProcessSystem;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  const dataSources = {} as Record<SubgraphName, DataSource>;
  let venue: { id: string; organizationId: string };
  const entryIds: string[] = [];
  let judgeId: string;
  const organizer = () => tokenFor({ role: "ORGANIZER" });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "image-china-event-faults-"));
    system = await ProcessSystem.create({ databaseUrl: database.url, dataDir, env: { SUBGRAPH_TIMEOUT_MS: "2000" } });
    Object.assign(dataSources, await openSubgraphDatabases(database.url, SUBGRAPH_NAMES));
    await seedCompetition(dataSources.entries);
    venue = await seedVenue(dataSources.venues);
    for (let index = 0; index < 4; index++) {
      entryIds.push((await seedEntry(dataSources.entries, { venueId: venue.id, organizationId: venue.organizationId })).id);
    }
    judgeId = (await seedJudge(dataSources.judging)).id;
    await system.startAll();
  }, 180_000);

  afterAll(async () => {
    await system?.stopAll();
    for (const dataSource of Object.values(dataSources)) await dataSource?.destroy();
    await database?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** As an organiser, or as the public with token null. */
  const call = async (name: SubgraphName | "gateway", query: string, variables: Record<string, unknown> = {}, token: string | null = organizer()) => {
    const response = await graphql(system.url(name), query, { variables, token: token ?? undefined });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!;
  };
  const isPublic = async (entryId: string) =>
    (
      await graphql(
        system.url("entries"),
        `
          query ($id: ID!) {
            entry(id: $id) {
              id
            }
          }
        `,
        { variables: { id: entryId } },
      )
    ).data?.entry != null;
  const exhibitionStatus = async (id: string) =>
    (await dataSources.exhibitions.query(`SELECT status FROM exhibitions.exhibition WHERE id = $1`, [id]))[0].status;
  /** Locks on the waiting subgraphs' tables held by a transaction open for more than a second. */
  const longHeldLocks = async () =>
    (
      await dataSources.entries.query(
        `SELECT count(*)::int AS count FROM pg_locks lock JOIN pg_stat_activity activity ON activity.pid = lock.pid
           JOIN pg_class class ON class.oid = lock.relation JOIN pg_namespace namespace ON namespace.oid = class.relnamespace
          WHERE namespace.nspname IN ('exhibitions', 'judging') AND lock.pid <> pg_backend_pid() AND activity.xact_start < now() - interval '1 second'`,
      )
    )[0].count;

  async function exhibitionWithWorks(entries: string[]): Promise<string> {
    const slug = `event-faults-${Math.random().toString(36).slice(2, 10)}`;
    const created = await call("exhibitions", `mutation($input: CreateExhibitionInput!) { createExhibition(input: $input) { id } }`, {
      input: { slug, kind: "ONLINE", defaultLocale: "en", title: [{ locale: "en", text: "Events" }] },
    });
    const id = created.createExhibition.id;
    await call("exhibitions", `mutation($input: AddExhibitedWorksInput!) { addExhibitedWorks(input: $input) { id } }`, {
      input: { exhibitionId: id, works: entries.map((entryId) => ({ entryId })) },
    });
    return id;
  }

  it("accepts publishing, awards and a round's opening while entries is hung, shows nothing early, and completes once it is back", async () => {
    // Prepared while everything runs: an exhibition with works, a round with assignments, a proposed award.
    const exhibitionId = await exhibitionWithWorks([entryIds[0], entryIds[1]]);
    const round = await call("judging", `mutation($input: CreateRoundInput!) { createRound(input: $input) { id } }`, {
      input: { name: "Events round", kind: "SHORTLIST", theme: "NATURE", quorum: 1 },
    });
    const roundId = round.createRound.id;
    await call("judging", `mutation($input: AssignJudgesInput!) { assignJudges(input: $input) { assignments } }`, {
      input: { roundId, judgeIds: [judgeId], quorum: 1 },
    });
    const [closed] = await dataSources.judging.query(
      `INSERT INTO judging.judging_round (name, kind, quorum, pass_votes, status) VALUES ('Final', 'SHORTLIST', 1, 1, 'CLOSED') RETURNING id`,
    );
    await dataSources.judging.query(
      `INSERT INTO judging.award (round_id, entry_id, theme, venue_id, tier, position) VALUES ($1, $2, 'NATURE', $3, 'GOLD', 1)`,
      [closed.id, entryIds[2], venue.id],
    );

    system.signal("entries", "SIGSTOP");
    try {
      // Each is accepted without waiting for the hung subgraph: a call to it would take the 2 s timeout.
      const durations: number[] = [];
      const timed = async <T>(answer: () => Promise<T>): Promise<T> => {
        const started = Date.now();
        const result = await answer();
        durations.push(Date.now() - started);
        return result;
      };
      const published = await timed(() => call("exhibitions", `mutation($id: ID!) { publishExhibition(id: $id) { status } }`, { id: exhibitionId }));
      expect(published.publishExhibition.status).toBe("PUBLISHING");
      const awards = await timed(() => call("judging", `mutation { publishAwards(theme: NATURE) { status } }`));
      expect(awards.publishAwards.map((award: { status: string }) => award.status)).toEqual(["PUBLISHING"]);
      const opened = await timed(() => call("judging", `mutation($id: ID!) { openRound(id: $id) { status grantsPending } }`, { id: roundId }));
      expect(opened.openRound).toEqual({ status: "OPEN", grantsPending: true });
      expect(durations.filter((milliseconds) => milliseconds >= 2000)).toEqual([]);

      // Nothing is visible early: not the exhibition, not the awards; and nothing holds a lock while waiting.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await call("exhibitions", `query($id: ID!) { exhibition(id: $id) { id } }`, { id: exhibitionId }, null)).exhibition).toBeNull();
      expect((await call("judging", `{ awards(theme: NATURE) { totalCount } }`, {}, null)).awards.totalCount).toBe(0);
      expect(await exhibitionStatus(exhibitionId)).toBe("PUBLISHING");
      expect(await longHeldLocks()).toBe(0);
    } finally {
      system.signal("entries", "SIGCONT");
    }

    // Back: the grants are applied and everything completes by itself.
    expect(await waitFor(async () => (await exhibitionStatus(exhibitionId)) === "PUBLISHED", 30_000)).toBe(true);
    expect(await waitFor(async () => (await call("judging", `{ awards(theme: NATURE) { totalCount } }`, {}, null)).awards.totalCount === 1, 30_000)).toBe(true);
    expect(
      await waitFor(
        async () => (await call("judging", `query($id: ID!) { round(id: $id) { grantsPending } }`, { id: roundId })).round.grantsPending === false,
        30_000,
      ),
    ).toBe(true);
    expect([await isPublic(entryIds[0]), await isPublic(entryIds[1]), await isPublic(entryIds[2]), await isPublic(entryIds[3])]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const page = await call(
      "gateway",
      `query($id: ID!) { exhibition(id: $id) { status works(first: 10) { edges { node { entry { id } } } } } }`,
      { id: exhibitionId },
      null,
    );
    expect(page.exhibition.status).toBe("PUBLISHED");
    expect(page.exhibition.works.edges.map((edge: { node: { entry: { id: string } } }) => edge.node.entry.id).sort()).toEqual(
      [entryIds[0], entryIds[1]].sort(),
    );
    const judge = tokenFor({ role: "JUDGE", judge: judgeId, sub: `test:judge:${judgeId}` });
    const assigned = await call("gateway", `{ myAssignments(first: 10) { edges { node { entry { id title } } } } }`, {}, judge);
    expect(assigned.myAssignments.edges.every((edge: { node: { entry: { id: string } | null } }) => edge.node.entry !== null)).toBe(true);
  }, 120_000);

  it("completes a publication made while entries was down once it starts again", async () => {
    const exhibitionId = await exhibitionWithWorks([entryIds[3]]);
    system.signal("entries", "SIGKILL");
    await system.processes.get("entries")!.exited;
    const published = await call("exhibitions", `mutation($id: ID!) { publishExhibition(id: $id) { status } }`, { id: exhibitionId });
    expect(published.publishExhibition.status).toBe("PUBLISHING");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await exhibitionStatus(exhibitionId)).toBe("PUBLISHING");
    expect(await longHeldLocks()).toBe(0);

    await system.start("entries");
    expect(await waitFor(async () => (await exhibitionStatus(exhibitionId)) === "PUBLISHED", 30_000)).toBe(true);
    expect(await isPublic(entryIds[3])).toBe(true);
  }, 120_000);
});
