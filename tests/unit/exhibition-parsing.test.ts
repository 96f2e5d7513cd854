// Parsing an exhibition's fields, one rule per test (subgraphs/exhibitions/exhibition/exhibition.parsing.ts).
import { GraphQLError } from "graphql";
import { ExhibitionKind } from "../../subgraphs/exhibitions/exhibition/exhibition.entity";
import { checkDates, checkHostVenueIds, MAX_HOST_VENUES, parseSlug, parseTitle, sameText } from "../../subgraphs/exhibitions/exhibition/exhibition.parsing";

/** The BAD_USER_INPUT argument the check names, or undefined when it passes. */
function refusal(check: () => unknown): unknown {
  try {
    check();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
    return (error as GraphQLError).extensions.argument;
  }
}
const venue = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("slug", () => {
  it("is trimmed and lower-cased", () => {
    expect(parseSlug("  Harmonious-Co-Existence ")).toBe("harmonious-co-existence");
  });

  it("refuses fewer than 3 or more than 100 characters", () => {
    expect(refusal(() => parseSlug("ab"))).toBe("slug");
    expect(refusal(() => parseSlug("a".repeat(101)))).toBe("slug");
  });

  it("refuses leading, trailing or doubled dashes and other characters", () => {
    for (const slug of ["-abc", "abc-", "ab--c", "ab_c", "ab c"]) expect(refusal(() => parseSlug(slug))).toBe("slug");
  });
});

describe("title", () => {
  it("must be given in the exhibition's default language", () => {
    expect(refusal(() => parseTitle([{ locale: "en", text: "Light" }], "zh"))).toBe("title");
  });

  it("keeps every language given", () => {
    expect(
      parseTitle(
        [
          { locale: "en", text: "Light" },
          { locale: "zh", text: "光" },
        ],
        "zh",
      ),
    ).toEqual({ en: "Light", zh: "光" });
  });
});

describe("dates", () => {
  it("refuses a closing date that is not after the opening", () => {
    const day = new Date("2026-05-01T00:00:00Z");
    expect(refusal(() => checkDates(day, day))).toBe("closesAt");
  });

  it("refuses an invalid date", () => {
    expect(refusal(() => checkDates(new Date("not a date"), null))).toBe("opensAt");
  });

  it("accepts open-ended exhibitions", () => {
    expect(refusal(() => checkDates(new Date("2026-05-01T00:00:00Z"), null))).toBeUndefined();
  });
});

describe("host venues", () => {
  it("refuses a venue named twice", () => {
    expect(refusal(() => checkHostVenueIds([venue(1), venue(1)], ExhibitionKind.ONLINE))).toBe("hostVenueIds");
  });

  it(`refuses more than ${MAX_HOST_VENUES}`, () => {
    const venues = Array.from({ length: MAX_HOST_VENUES + 1 }, (_, index) => venue(index));
    expect(refusal(() => checkHostVenueIds(venues, ExhibitionKind.ONLINE))).toBe("hostVenueIds");
  });

  it("needs at least one for an ONSITE exhibition, none for an ONLINE one", () => {
    expect(refusal(() => checkHostVenueIds([], ExhibitionKind.ONSITE))).toBe("hostVenueIds");
    expect(refusal(() => checkHostVenueIds([], ExhibitionKind.ONLINE))).toBeUndefined();
  });
});

describe("comparing texts", () => {
  it("ignores the order of languages", () => {
    expect(sameText({ en: "Light", zh: "光" }, { zh: "光", en: "Light" })).toBe(true);
  });

  it("sees a missing language or a different text", () => {
    expect(sameText({ en: "Light", zh: "光" }, { en: "Light" })).toBe(false);
    expect(sameText({ en: "Light" }, { en: "Shadow" })).toBe(false);
  });
});
