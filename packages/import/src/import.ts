/**
 * One entry point for every format: detects it from the file name (and, for
 * JSON, its content) and returns the new document's first update plus a report.
 */
import { appendBlocks, type Block, createYDoc } from '@hashiya/document'
import * as Y from 'yjs'
import {
  type AnnotatedImport,
  ImportError,
  importNativeJson,
  importWebAnnotations,
} from './annotated.js'
import {
  blocksFromDocx,
  blocksFromHtml,
  blocksFromMarkdown,
  blocksFromPlainText,
  type Dropped,
} from './blocks.js'

export const IMPORT_FORMATS = ['txt', 'markdown', 'html', 'docx', 'json', 'w3c'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export interface ImportInput {
  filename: string
  bytes: Uint8Array
  /** The plain text a W3C collection annotates. */
  text?: Uint8Array
  title?: string
}

export interface ImportResult {
  title: string
  /** The new document's initial state. */
  update: Uint8Array
  report: { format: ImportFormat; paragraphs: number; annotations: number; dropped: Dropped[] }
}

const decoder = new TextDecoder('utf-8', { fatal: true })

function decodeText(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    throw new ImportError(`${what} is not UTF-8 text`)
  }
}

const titleFromName = (filename: string) =>
  filename
    .replace(/\.[^.]+$/, '')
    .replace(/[-_]+/g, ' ')
    .trim() || 'مستند مستورد'

function finish(
  format: ImportFormat,
  title: string,
  blocks: Block[],
  dropped: Dropped[],
): ImportResult {
  if (blocks.length === 0) throw new ImportError('the file has no text to import')
  const doc = createYDoc()
  appendBlocks(doc, blocks)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return { title, update, report: { format, paragraphs: blocks.length, annotations: 0, dropped } }
}

function finishAnnotated(
  format: ImportFormat,
  imported: AnnotatedImport,
  title?: string,
): ImportResult {
  const update = Y.encodeStateAsUpdate(imported.doc)
  imported.doc.destroy()
  return {
    title: title || imported.title,
    update,
    report: {
      format,
      paragraphs: imported.paragraphs,
      annotations: imported.annotations,
      dropped: imported.dropped,
    },
  }
}

export async function importDocument(input: ImportInput): Promise<ImportResult> {
  const extension = /\.([a-z0-9]+)$/i.exec(input.filename)?.[1]?.toLowerCase() ?? ''
  const given = input.title?.trim()
  const title = given || titleFromName(input.filename)
  switch (extension) {
    case 'txt':
    case 'text':
      return finish('txt', title, blocksFromPlainText(decodeText(input.bytes, 'the file')), [])
    case 'md':
    case 'markdown': {
      const { blocks, dropped } = await blocksFromMarkdown(decodeText(input.bytes, 'the file'))
      return finish('markdown', title, blocks, dropped)
    }
    case 'html':
    case 'htm': {
      const page = blocksFromHtml(decodeText(input.bytes, 'the file'))
      return finish('html', given || page.title || title, page.blocks, page.dropped)
    }
    case 'docx': {
      let converted: Awaited<ReturnType<typeof blocksFromDocx>>
      try {
        converted = await blocksFromDocx(input.bytes)
      } catch {
        throw new ImportError('the file is not a readable Word (.docx) document')
      }
      return finish('docx', given || converted.title || title, converted.blocks, converted.dropped)
    }
    case 'json':
    case 'jsonld': {
      let value: unknown
      try {
        value = JSON.parse(decodeText(input.bytes, 'the file'))
      } catch (error) {
        if (error instanceof ImportError) throw error
        throw new ImportError('the file is not valid JSON')
      }
      const type = (value as { type?: unknown } | null)?.type
      if (type === 'AnnotationCollection') {
        if (!input.text)
          throw new ImportError(
            'a W3C Web Annotation collection needs the text it annotates (the "text" file)',
          )
        return finishAnnotated(
          'w3c',
          importWebAnnotations(value, decodeText(input.text, 'the text file'), title),
          input.title,
        )
      }
      return finishAnnotated('json', importNativeJson(value), input.title)
    }
    default:
      throw new ImportError(
        `unsupported file type ".${extension}": use .txt, .md, .html, .docx, .json or .jsonld`,
      )
  }
}
