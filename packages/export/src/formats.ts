/**
 * The export formats by name: what the API, the CLI and batch exports call.
 */
import { toBratZip } from './brat.js'
import { toCsv } from './csv.js'
import { toDocx } from './docx.js'
import { toHtml } from './html.js'
import { toNativeJson } from './json.js'
import { LABEL_STUDIO_CONFIG, toLabelStudioTasks } from './label-studio.js'
import type { ExportSource } from './source.js'
import { toWebAnnotations } from './w3c.js'

export const EXPORT_FORMATS = [
  'json',
  'w3c',
  'html',
  'docx',
  'csv',
  'brat',
  'labelstudio',
  'labelstudio-config',
] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ExportedFile {
  filename: string
  contentType: string
  body: string | Uint8Array
}

/** A file name safe on every system, keeping Arabic letters. */
export function fileBaseName(source: ExportSource): string {
  const cleaned = source.title
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
    .replace(/\s+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
  return cleaned || source.documentId
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

export async function exportDocument(
  source: ExportSource,
  format: ExportFormat,
): Promise<ExportedFile> {
  const base = fileBaseName(source)
  switch (format) {
    case 'json':
      return {
        filename: `${base}.hashiya.json`,
        contentType: 'application/json; charset=utf-8',
        body: json(toNativeJson(source)),
      }
    case 'w3c':
      return {
        filename: `${base}.annotations.jsonld`,
        contentType:
          'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
        body: json(toWebAnnotations(source)),
      }
    case 'html':
      return {
        filename: `${base}.html`,
        contentType: 'text/html; charset=utf-8',
        body: toHtml(source),
      }
    case 'docx':
      return {
        filename: `${base}.docx`,
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        body: await toDocx(source),
      }
    case 'csv':
      return {
        filename: `${base}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: toCsv(source),
      }
    case 'brat':
      return {
        filename: `${base}.brat.zip`,
        contentType: 'application/zip',
        body: toBratZip(source, base),
      }
    case 'labelstudio':
      return {
        filename: `${base}.label-studio.json`,
        contentType: 'application/json; charset=utf-8',
        body: json(toLabelStudioTasks(source)),
      }
    case 'labelstudio-config':
      return {
        filename: 'label-studio-config.xml',
        contentType: 'application/xml; charset=utf-8',
        body: LABEL_STUDIO_CONFIG,
      }
  }
}
