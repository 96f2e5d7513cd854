import { parse } from "csv-parse/sync";
import { CSV_DELIMITERS, CsvDelimiterName, csvChunk, csvDelimiterNamed } from "../../../subgraphs/entries/entry/entry-export.format";
import { ENTRY_EXPORT_COLUMNS } from "../../../subgraphs/entries/entry/entry-export.route";
import { HOSTILE_TEXTS, defused, startsWithFormulaLead } from "../../kit/hostile-text";

function parseBack(csv: string, delimiter: CsvDelimiterName): string[][] {
  return parse(csv, { delimiter: CSV_DELIMITERS[delimiter], bom: true, relax_quotes: false }) as string[][];
}

describe("entries CSV format", () => {
  const delimiters = Object.keys(CSV_DELIMITERS) as CsvDelimiterName[];

  it.each(delimiters)("round-trips every hostile text in every column, defused, with delimiter %s", (delimiter) => {
    // One row per (column, text): the text in that column, a plain value in the others.
    const rows = ENTRY_EXPORT_COLUMNS.flatMap((column) =>
      HOSTILE_TEXTS.map((text) => Object.fromEntries(ENTRY_EXPORT_COLUMNS.map((other) => [other, other === column ? text : "plain"]))),
    );
    // And one row with every column hostile at once.
    rows.push(Object.fromEntries(ENTRY_EXPORT_COLUMNS.map((column, index) => [column, HOSTILE_TEXTS[index % HOSTILE_TEXTS.length]])));

    const csv =
      csvChunk(ENTRY_EXPORT_COLUMNS, rows.slice(0, 7), { delimiter, first: true }) + csvChunk(ENTRY_EXPORT_COLUMNS, rows.slice(7), { delimiter, first: false });
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const [header, ...records] = parseBack(csv, delimiter);
    expect(header).toEqual(ENTRY_EXPORT_COLUMNS);
    expect(records).toHaveLength(rows.length);
    expect(records).toEqual(rows.map((row) => ENTRY_EXPORT_COLUMNS.map((column) => defused(String(row[column])))));
    expect(records.flat().filter(startsWithFormulaLead)).toEqual([]);
  });

  it("writes dates as ISO 8601, booleans as true/false, nothing for null, and leaves numbers alone", () => {
    const csv = csvChunk(
      ["at", "yes", "no", "none", "count", "negative"],
      [{ at: new Date("2026-05-01T10:00:00Z"), yes: true, no: false, none: null, count: 3, negative: -2 }],
      { delimiter: "semicolon", first: false },
    );
    expect(csv).toBe("2026-05-01T10:00:00.000Z;true;false;;3;-2\r\n");
  });

  it("writes the header line, with the byte-order mark, even when there are no rows", () => {
    expect(csvChunk(["id", "title"], [], { delimiter: "tab", first: true })).toBe("\uFEFFid\ttitle\r\n");
  });

  it("accepts only the delimiter names it documents", () => {
    expect(csvDelimiterNamed(undefined)).toBe("comma");
    expect(delimiters.map(csvDelimiterNamed)).toEqual(delimiters);
    for (const wrong of [";", "pipe", "", "toString", "__proto__", ["comma", "tab"]]) expect(csvDelimiterNamed(wrong)).toBeNull();
  });
});
