/**
 * One CSV record (RFC 4180): fields quoted when they hold a quote, comma or line break, lines ended by
 * CRLF. A cell a spreadsheet would read as a formula (it starts with = + - @, a tab or a carriage
 * return) gets a leading single quote, so an attendee named `=HYPERLINK(...)` stays text when the
 * organizer opens the export (OWASP "CSV Injection").
 */
export function csvLine(cells: readonly (string | undefined)[]): string {
  return cells.map((cell) => csvCell(cell ?? '')).join(',') + '\r\n';
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
