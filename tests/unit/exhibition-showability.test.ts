// Which entries an exhibition may show, one rule per test (whyNotShowable in subgraphs/exhibitions/entry/entry.client.ts,
// whyNotInExhibition and refusalMessage in subgraphs/exhibitions/exhibition/exhibition.service.ts).
import type { EntryFact } from "../../lib/clients/entries";
import { ThemeCode } from "../../lib/themes";
import { whyNotShowable } from "../../subgraphs/exhibitions/entry/entry.client";
import { refusalMessage, whyNotInExhibition } from "../../subgraphs/exhibitions/exhibition/exhibition.service";

const ORGANIZATION = "b0000000-0000-4000-8000-000000000001";
const OTHER_ORGANIZATION = "b0000000-0000-4000-8000-000000000002";
const fact = (overrides: Partial<EntryFact> = {}): EntryFact => ({
  id: "e0000000-0000-4000-8000-000000000001",
  status: "SUBMITTED",
  consentToPublication: true,
  venueId: "a0000000-0000-4000-8000-000000000001",
  organizationId: ORGANIZATION,
  theme: ThemeCode.NATURE,
  kind: "SINGLE_PHOTO",
  ...overrides,
});

describe("an entry's own showability", () => {
  it("shows a submitted entry whose entrant consented", () => {
    expect(whyNotShowable(fact())).toBeNull();
  });

  it("refuses an entry the entries subgraph does not know", () => {
    expect(whyNotShowable(undefined)).toBe("no such entry exists");
  });

  it("refuses withdrawn, disqualified and draft entries", () => {
    expect(whyNotShowable(fact({ status: "WITHDRAWN" }))).toMatch(/withdrawn/);
    expect(whyNotShowable(fact({ status: "DISQUALIFIED" }))).toMatch(/disqualified/);
    expect(whyNotShowable(fact({ status: "DRAFT" }))).toMatch(/only submitted entries/);
  });

  it("refuses an entry whose entrant did not consent to publication", () => {
    expect(whyNotShowable(fact({ consentToPublication: false }))).toMatch(/consent/);
  });
});

describe("an entry in an exhibition", () => {
  it("lets the organisers' exhibition (no organisation) show any organisation's entry", () => {
    expect(whyNotInExhibition({ organizationId: null }, fact({ organizationId: OTHER_ORGANIZATION }))).toBeNull();
  });

  it("lets an organisation's exhibition show only that organisation's entries", () => {
    expect(whyNotInExhibition({ organizationId: ORGANIZATION }, fact())).toBeNull();
    expect(whyNotInExhibition({ organizationId: ORGANIZATION }, fact({ organizationId: OTHER_ORGANIZATION }))).toMatch(/another organisation/);
  });

  it("gives the entry's own reason first", () => {
    expect(whyNotInExhibition({ organizationId: ORGANIZATION }, fact({ status: "WITHDRAWN", organizationId: OTHER_ORGANIZATION }))).toMatch(/withdrawn/);
  });

  it("names the first five refused entries and counts the rest", () => {
    const refused = Array.from({ length: 7 }, (_, index) => ({ entryId: `entry-${index}`, reason: "withdrawn" }));
    const message = refusalMessage("Cannot show:", refused);
    expect(message).toContain("entry entry-4: withdrawn");
    expect(message).not.toContain("entry-5");
    expect(message).toContain("(and 2 more, see extensions.refused)");
  });
});
