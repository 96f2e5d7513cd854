import { parse } from "csv-parse/sync";
import { CSV_DELIMITERS, CsvDelimiterName } from "../../subgraphs/entries/entry/entry-export.format";
import { ENTRY_EXPORT_COLUMNS } from "../../subgraphs/entries/entry/entry-export.route";
import { FORMULA_LEADS, HOSTILE_TEXTS, defused, startsWithFormulaLead } from "../kit/hostile-text";
import { tokenFor } from "../kit/http";
import { seedCompetition, seedEntry, seedVenue } from "../kit/factories";
import { startSystem, TestSystem } from "../kit/system";

describe("CSV export of entries through the gateway", () => {
  let system: TestSystem;
  const exportUrl = () => new URL("/exports/entries.csv", system.gatewayUrl).toString();

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries"] });
    await seedCompetition(system.dataSources.entries);
  });
  afterAll(() => system.stop());

  it("exports all entries for organisers and only their organisation's for partners", async () => {
    const mine = await seedVenue(system.dataSources.venues);
    const theirs = await seedVenue(system.dataSources.venues);
    const own = await seedEntry(system.dataSources.entries, { venueId: mine.id, organizationId: mine.organizationId, title: '=HYPERLINK("evil")' });
    const other = await seedEntry(system.dataSources.entries, { venueId: theirs.id, organizationId: theirs.organizationId });

    const organizer = await fetch(exportUrl(), { headers: { authorization: `Bearer ${tokenFor({ role: "ORGANIZER" })}` } });
    expect(organizer.status).toBe(200);
    expect(organizer.headers.get("content-type")).toMatch(/^text\/csv/);
    const all = await organizer.text();
    expect(all).toContain(own.id);
    expect(all).toContain(other.id);
    // A title that looks like a formula is defused for spreadsheets.
    expect(all).toContain(`"'=HYPERLINK(""evil"")"`);

    const partner = await fetch(exportUrl(), {
      headers: { authorization: `Bearer ${tokenFor({ role: "PARTNER", org: mine.organizationId, venues: [mine.id] })}` },
    });
    const scoped = await partner.text();
    expect(scoped).toContain(own.id);
    expect(scoped).not.toContain(other.id);
    expect(scoped.trim().split("\r\n")).toHaveLength(2);
  });

  it("refuses the public and venues", async () => {
    expect((await fetch(exportUrl())).status).toBe(401);
    const venue = await seedVenue(system.dataSources.venues);
    const response = await fetch(exportUrl(), {
      headers: { authorization: `Bearer ${tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] })}` },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("FORBIDDEN");
  });

  it("refuses a delimiter it does not offer, naming the ones it does", async () => {
    const url = new URL(exportUrl());
    url.searchParams.set("delimiter", "pipe");
    const response = await fetch(url, { headers: { authorization: `Bearer ${tokenFor({ role: "ORGANIZER" })}` } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0]).toMatchObject({
      message: expect.stringContaining("comma, semicolon, tab"),
      extensions: { code: "BAD_USER_INPUT", argumentName: "delimiter" },
    });
  });

  // Every text column the database holds gets every hostile text (the country column, two characters, every
  // formula lead); the export, read back by a real CSV parser with each delimiter, must give each cell back
  // intact and never a cell a spreadsheet would run.
  it.each(Object.keys(CSV_DELIMITERS) as CsvDelimiterName[])("round-trips hostile texts in every column with delimiter %s, defused", async (delimiter) => {
    const venue = await seedVenue(system.dataSources.venues);
    const seeded: Record<string, string>[] = [];
    for (const [index, text] of HOSTILE_TEXTS.entries()) {
      const country = `${FORMULA_LEADS[index % FORMULA_LEADS.length]}1`;
      const entry = await seedEntry(system.dataSources.entries, {
        venueId: venue.id,
        organizationId: venue.organizationId,
        title: text,
        creditName: `${text} credit`,
        country,
      });
      await system.dataSources.entries.query(`UPDATE entries.entrant SET name = $2, email = $3, country = $4 WHERE id = $1`, [
        entry.entrantId,
        text,
        `${text}+${entry.id}@example.org`,
        country,
      ]);
      seeded.push({
        id: entry.id,
        title: text,
        credit_name: `${text} credit`,
        entrant_name: text,
        entrant_email: `${text}+${entry.id}@example.org`,
        entrant_country: country,
      });
    }

    const url = new URL(exportUrl());
    if (delimiter !== "comma") url.searchParams.set("delimiter", delimiter);
    const token = tokenFor({ role: "PARTNER", org: venue.organizationId, venues: [venue.id] });
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const [header, ...records] = parse(await response.text(), { delimiter: CSV_DELIMITERS[delimiter], bom: true }) as string[][];
    expect(header).toEqual(ENTRY_EXPORT_COLUMNS);
    expect(records.flat().filter(startsWithFormulaLead)).toEqual([]);
    const byId = new Map(records.map((record) => [record[0], Object.fromEntries(header.map((column, index) => [column, record[index]]))]));
    expect(byId.size).toBe(seeded.length);
    for (const expected of seeded) {
      const row = byId.get(expected.id)!;
      for (const [column, text] of Object.entries(expected)) expect({ column, cell: row[column] }).toEqual({ column, cell: defused(text) });
    }
  });
});
