/**
 * CSV for downloads: csv-stringify quotes cells that need it, and any text cell a spreadsheet
 * would run as a formula (starting with =, +, -, @, tab or carriage return, or with = + - @ after
 * leading whitespace or line breaks, which spreadsheets skip) gets a leading single quote, so it
 * shows as the text it is.
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[\t\r]|^[\n\r\t ]*[=+\-@]/;

export function escapeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  return stringify([[...header], ...rows.map((r) => [...r])], {
    cast: { string: escapeFormula, boolean: (b) => (b ? 'true' : 'false') },
    record_delimiter: '\r\n',
  });
}
