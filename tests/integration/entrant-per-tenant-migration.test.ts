// The migration that gives each organisation its own entrant records: an entrant shared by two organisations is
// split (each keeps what was stored), entries point at their organisation's record, and `down` merges them back.
import { randomUUID } from "node:crypto";
import { seedCompetition } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";

describe("migration: entrant records per organisation", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["entries"], gateway: false });
  });
  afterAll(() => system.stop());

  /** Undoes migrations, newest first, until the per-tenant one is undone (later migrations of entries come back with runMigrations). */
  async function undoThroughEntrantPerTenant(): Promise<void> {
    const entries = system.dataSources.entries;
    for (let step = 0; step < 20; step++) {
      const [last] = await entries.query(`SELECT name FROM entries.migrations ORDER BY id DESC LIMIT 1`);
      await entries.undoLastMigration();
      if (last.name === "EntriesEntrantPerTenant1764700000000") return;
    }
    throw new Error("EntriesEntrantPerTenant1764700000000 was not among the applied migrations");
  }

  it("splits a shared entrant on up and merges it back on down", async () => {
    const entries = system.dataSources.entries;
    const competition = await seedCompetition(entries);
    await undoThroughEntrantPerTenant();

    // Before: one record per e-mail, used by entries of two organisations.
    const [orgA, orgB, entrantId] = [randomUUID(), randomUUID(), randomUUID()];
    await entries.query(
      `INSERT INTO entries.entrant (id, competition_id, name, email, country, phone) VALUES ($1, $2, 'Ana', 'ana@example.org', 'PT', '+351 1')`,
      [entrantId, competition.id],
    );
    const entry = (organizationId: string, title: string, createdAt: Date) =>
      entries.query(
        `INSERT INTO entries.entry (competition_id, venue_id, organization_id, entrant_id, theme_code, kind, status, title, credit_name, country,
           consent_to_publication, consent_to_rules, declares_no_generative_ai, created_at)
         VALUES ($1, $2, $3, $4, 'NATURE', 'SINGLE_PHOTO', 'SUBMITTED', $5, 'Ana', 'PT', true, true, true, $6) RETURNING id`,
        [competition.id, randomUUID(), organizationId, entrantId, title, createdAt],
      );
    // A entered the address first: its organisation keeps the existing record.
    const [[{ id: entryA }], [{ id: entryB }]] = [await entry(orgA, "A", new Date(Date.now() - 3_600_000)), await entry(orgB, "B", new Date())];

    await entries.runMigrations({ transaction: "each" });
    const after: { id: string; organization_id: string; phone: string }[] = await entries.query(
      `SELECT id, organization_id, phone FROM entries.entrant WHERE email = 'ana@example.org' ORDER BY organization_id = $1 DESC`,
      [orgA],
    );
    expect(after.map((row) => row.organization_id)).toEqual([orgA, orgB]);
    expect(after[0].id).toBe(entrantId);
    expect(after.every((row) => row.phone === "+351 1")).toBe(true);
    const pointers: { id: string; entrant_id: string }[] = await entries.query(`SELECT id, entrant_id FROM entries.entry WHERE id = ANY($1::uuid[])`, [
      [entryA, entryB],
    ]);
    expect(Object.fromEntries(pointers.map((row) => [row.id, row.entrant_id]))).toEqual({ [entryA]: entrantId, [entryB]: after[1].id });

    await undoThroughEntrantPerTenant();
    const merged: { id: string }[] = await entries.query(`SELECT id FROM entries.entrant WHERE email = 'ana@example.org'`);
    expect(merged).toEqual([{ id: entrantId }]);
    const [{ distinct }] = await entries.query(`SELECT count(DISTINCT entrant_id)::int AS distinct FROM entries.entry WHERE id = ANY($1::uuid[])`, [
      [entryA, entryB],
    ]);
    expect(distinct).toBe(1);
    await entries.runMigrations({ transaction: "each" });
  });
});
