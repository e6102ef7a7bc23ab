/**
 * One row per annotation, UTF-8 with a byte-order mark so spreadsheet programs
 * show Arabic. Offsets are code points. Cells that a spreadsheet would run as a
 * formula are prefixed with an apostrophe. `author` is the account id (stable,
 * for joining), `author_name` the name colleagues know them by.
 */
import { stringify } from 'csv-stringify/sync'
import { type ExportSource, personName } from './source.js'

const COLUMNS = [
  'id',
  'kind',
  'text',
  'start',
  'end',
  'speaker',
  'note',
  'author',
  'author_name',
  'created',
  'updated',
  'related_ids',
] as const

const FORMULA_START = /^[=+\-@\t\r]/

function cell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

export function toCsv(source: ExportSource): string {
  const rows = source.annotations.map((a) => [
    a.id,
    a.kind,
    cell(a.text),
    String(a.start),
    String(a.end),
    cell(a.speaker),
    cell(a.note),
    cell(a.author),
    cell(personName(source, a.author)),
    new Date(a.createdAt).toISOString(),
    new Date(a.updatedAt).toISOString(),
    a.relations.map((r) => r.target).join(' '),
  ])
  // csv-stringify quotes a cell holding its record delimiter (\r\n) but not a bare line
  // break, which spreadsheets and most readers take for the end of the row
  const csv = stringify([[...COLUMNS], ...rows], {
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  })
  return `\uFEFF${csv}`
}
