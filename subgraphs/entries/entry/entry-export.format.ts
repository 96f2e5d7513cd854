// How an export's rows become CSV text: one csv-stringify configuration, so every export quotes and defuses alike.
import { stringify } from "csv-stringify/sync";

/**
 * Field separators a partner may ask for. Spreadsheets split on the one their locale expects: a comma in
 * English locales, a semicolon in Portuguese and most of continental Europe (where the comma is the decimal
 * mark), a tab for anything pasted or read as TSV.
 */
export const CSV_DELIMITERS = { comma: ",", semicolon: ";", tab: "\t" } as const;
export type CsvDelimiterName = keyof typeof CSV_DELIMITERS;
export const DEFAULT_CSV_DELIMITER: CsvDelimiterName = "comma";

/** The `delimiter` query parameter's value as a name, or null when it is not one we offer. Absent means the default. */
export function csvDelimiterNamed(value: unknown): CsvDelimiterName | null {
  if (value === undefined) return DEFAULT_CSV_DELIMITER;
  return typeof value === "string" && Object.hasOwn(CSV_DELIMITERS, value) ? (value as CsvDelimiterName) : null;
}

export interface CsvChunkOptions {
  delimiter: CsvDelimiterName;
  /** The first chunk of a file carries the byte-order mark (so Excel reads UTF-8) and the header line. */
  first: boolean;
}

/**
 * Rows as CSV lines (CRLF-terminated), in the order of `columns`. Fields holding the separator, a quote or a line
 * break are quoted; a text that a spreadsheet would run as a formula (a lead =, +, -, @, tab or CR, or their
 * full-width forms) is prefixed with an apostrophe, as OWASP advises, so it is shown as text.
 */
export function csvChunk(columns: readonly string[], rows: readonly Record<string, unknown>[], options: CsvChunkOptions): string {
  return stringify(rows as Record<string, unknown>[], {
    columns: columns as string[],
    header: options.first,
    bom: options.first,
    delimiter: CSV_DELIMITERS[options.delimiter],
    record_delimiter: "windows",
    escape_formulas: true,
    cast: {
      // Defaults would write epoch milliseconds and "1"/"".
      date: (value) => value.toISOString(),
      boolean: (value) => String(value),
    },
  });
}
