import { csvField } from "../../subgraphs/entries/entry/entry-export.route";
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
    const own = await seedEntry(system.dataSources.entries, { venueId: mine.id, organizationId: mine.organizationId, title: "=HYPERLINK(\"evil\")" });
    const other = await seedEntry(system.dataSources.entries, { venueId: theirs.id, organizationId: theirs.organizationId });

    const organizer = await fetch(exportUrl(), { headers: { authorization: `Bearer ${tokenFor({ role: "ORGANIZER" })}` } });
    expect(organizer.status).toBe(200);
    expect(organizer.headers.get("content-type")).toMatch(/^text\/csv/);
    const all = await organizer.text();
    expect(all).toContain(own.id);
    expect(all).toContain(other.id);
    // A title that looks like a formula is defused for spreadsheets.
    expect(all).toContain(`"'=HYPERLINK(""evil"")"`);

    const partner = await fetch(exportUrl(), { headers: { authorization: `Bearer ${tokenFor({ role: "PARTNER", org: mine.organizationId, venues: [mine.id] })}` } });
    const scoped = await partner.text();
    expect(scoped).toContain(own.id);
    expect(scoped).not.toContain(other.id);
    expect(scoped.trim().split("\r\n")).toHaveLength(2);
  });

  it("refuses the public and venues", async () => {
    expect((await fetch(exportUrl())).status).toBe(401);
    const venue = await seedVenue(system.dataSources.venues);
    const response = await fetch(exportUrl(), { headers: { authorization: `Bearer ${tokenFor({ role: "VENUE", org: venue.organizationId, venues: [venue.id] })}` } });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("FORBIDDEN");
  });

  it("quotes fields that need it", () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("+1")).toBe(`"'+1"`);
    expect(csvField(null)).toBe("");
  });
});
