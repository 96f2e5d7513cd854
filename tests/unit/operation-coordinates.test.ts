import { buildSchema, parse } from "graphql";
import { deprecatedCoordinates, usedCoordinates } from "../../lib/operation-coordinates";

const schema = buildSchema(`
  type Query {
    venues(filter: VenueFilter, first: Int, limit: Int @deprecated(reason: "Use first. Removal after 2027-03-01.")): [Venue!]!
    venue(id: ID!): Venue
  }
  type Venue { id: ID! code: String! city: String @deprecated(reason: "Use address. Removal after 2027-03-01.") photo(size: Size = DISPLAY): String }
  input VenueFilter { region: Region country: String @deprecated(reason: "Use countries. Removal after 2027-03-01.") }
  enum Region { DOMESTIC OVERSEAS ABROAD @deprecated(reason: "Use OVERSEAS. Removal after 2027-03-01.") }
  enum Size { THUMBNAIL DISPLAY }
`);

describe("operation coordinates", () => {
  it("lists fields, arguments, input fields and enum values once each, with their deprecation", () => {
    const used = usedCoordinates(schema, parse(`{ venues(filter: { region: DOMESTIC }, first: 2) { id a: id code photo(size: THUMBNAIL) } }`));
    expect(used.map((item) => item.coordinate)).toEqual([
      "Query.venues",
      "Query.venues(filter:)",
      "VenueFilter.region",
      "Region.DOMESTIC",
      "Query.venues(first:)",
      "Venue.id",
      "Venue.code",
      "Venue.photo",
      "Venue.photo(size:)",
      "Size.THUMBNAIL",
    ]);
    expect(used.every((item) => item.deprecationReason === undefined)).toBe(true);
  });

  it("finds deprecated fields, arguments, input fields and enum values, inside fragments too", () => {
    const document = parse(`
      query($id: ID!) { venue(id: $id) { ...Place } venues(limit: 3, filter: { country: "PT", region: ABROAD }) { id } }
      fragment Place on Venue { city code }
    `);
    expect(deprecatedCoordinates(schema, document).sort()).toEqual(["Query.venues(limit:)", "Region.ABROAD", "Venue.city", "VenueFilter.country"]);
  });

  it("ignores introspection fields and names nothing for unknown fields", () => {
    expect(usedCoordinates(schema, parse(`{ __typename venue(id: "1") { __typename nope } }`)).map((item) => item.coordinate)).toEqual([
      "Query.venue",
      "Query.venue(id:)",
    ]);
  });
});
