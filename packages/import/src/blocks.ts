/**
 * Text formats to article blocks. HTML is read, never kept: only the text of
 * paragraphs and headings survives, so scripts, styles, event handlers and
 * remote resources cannot come through. Markdown and DOCX go through HTML.
 */
import { type Block, paragraphsFromText } from '@hashiya/document'
import { unzipSync } from 'fflate'
import { Parser } from 'htmlparser2'
import mammoth from 'mammoth'
import { marked } from 'marked'
import { type Dropped, dropped as drop } from './dropped.js'

export type { Dropped } from './dropped.js'

export function blocksFromPlainText(text: string): Block[] {
  return paragraphsFromText(text).map((line) => ({ type: 'paragraph', text: line }))
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'li',
  'blockquote',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'figcaption',
  'td',
  'th',
  'dt',
  'dd',
  'caption',
  'address',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'table',
  'ul',
  'ol',
])
const SKIPPED_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'head',
  'title',
])
const REMOTE_TAGS = new Set([
  'img',
  'video',
  'audio',
  'source',
  'link',
  'iframe',
  'object',
  'embed',
])

/** What `<meta name="generator">` says in Hashiya's own HTML export (@hashiya/export). */
const HASHIYA_GENERATOR = 'Hashiya'

export function blocksFromHtml(html: string): {
  blocks: Block[]
  dropped: Dropped[]
  /** The page's `<title>`, if it has one. */
  title: string | null
} {
  const blocks: Block[] = []
  const droppedCounts = new Map<string, number>()
  const remove = (what: string) => droppedCounts.set(what, (droppedCounts.get(what) ?? 0) + 1)
  let text = ''
  let heading: 2 | 3 | null = null
  let skipping = 0
  let title = null as string | null
  let inTitle = false
  // Hashiya's own export: only its <article> is the article (not the header, legend or notes)
  let ownExport = false
  let inArticle = 0

  const flush = () => {
    // source line breaks are spaces in HTML; <br> is kept as U+2028 until blocks are split
    const normalized = text
      .normalize('NFC')
      .replace(/[^\S\u2028]+/g, ' ')
      .trim()
    if (normalized && (!ownExport || inArticle > 0)) {
      blocks.push(
        heading
          ? { type: 'heading', level: heading, text: normalized }
          : { type: 'paragraph', text: normalized },
      )
    }
    text = ''
  }

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'meta' && attributes.name === 'generator') {
          ownExport = attributes.content === HASHIYA_GENERATOR
        }
        if (name === 'title') inTitle = true
        if (SKIPPED_TAGS.has(name)) {
          skipping++
          remove(`<${name}>`)
          return
        }
        if (REMOTE_TAGS.has(name)) remove(`<${name}>`)
        for (const attribute of Object.keys(attributes)) {
          if (attribute.startsWith('on')) remove(`${attribute}=…`)
        }
        if (name === 'a' && /^\s*javascript:/i.test(attributes.href ?? ''))
          remove('javascript: link')
        if (skipping > 0) return
        if (name === 'br') {
          text += '\u2028'
          return
        }
        if (BLOCK_TAGS.has(name)) {
          flush()
          if (/^h[1-6]$/.test(name)) heading = Number(name[1]) <= 2 ? 2 : 3
        }
        if (name === 'article') inArticle++
      },
      ontext(data) {
        if (inTitle) title = (title ?? '') + data
        if (skipping === 0) text += data
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false
        if (name === 'article') {
          flush()
          inArticle = Math.max(0, inArticle - 1)
        }
        if (SKIPPED_TAGS.has(name)) {
          skipping = Math.max(0, skipping - 1)
          return
        }
        if (skipping > 0) return
        if (BLOCK_TAGS.has(name)) {
          flush()
          heading = null
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  )
  parser.write(html)
  parser.end()
  flush()
  // a <br> inside a block splits it into lines; each non-empty line is a paragraph of its own
  const split = blocks.flatMap((block) =>
    block.text.includes('\u2028')
      ? paragraphsFromText(block.text).map((line): Block => ({ ...block, text: line }))
      : [block],
  )
  const dropped = [...droppedCounts].map(([element, count]) =>
    drop('element-removed', { element, count }),
  )
  const cleanTitle = title?.normalize('NFC').replace(/\s+/g, ' ').trim()
  return { blocks: split, dropped, title: cleanTitle || null }
}

export async function blocksFromMarkdown(
  markdown: string,
): Promise<{ blocks: Block[]; dropped: Dropped[] }> {
  return blocksFromHtml(await marked.parse(markdown, { async: true }))
}

export async function blocksFromDocx(
  bytes: Uint8Array,
): Promise<{ blocks: Block[]; dropped: Dropped[]; title: string | null }> {
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes) },
    // A document title (our DOCX export starts with one) is a heading, not body text.
    { styleMap: ["p[style-name='Title'] => h2:fresh", "p[style-name='Subtitle'] => h3:fresh"] },
  )
  const { blocks, dropped } = blocksFromHtml(result.value)
  // the document's own title (our export sets it) is its title, not its first heading
  const title = wordTitle(bytes)
  if (title && blocks[0]?.type === 'heading' && blocks[0].text === title) blocks.shift()
  const warnings = result.messages
    .filter((m) => m.type === 'warning' || m.type === 'error')
    .map((m) => drop('word-formatting', { detail: m.message }))
  const comments = countWordComments(bytes)
  if (comments > 0) {
    dropped.push(drop('word-comments', { count: comments }))
  }
  return { blocks, dropped: [...dropped, ...warnings], title }
}

const XML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
}

/** The title in a Word document's properties (File › Info), if it has one. */
function wordTitle(bytes: Uint8Array): string | null {
  try {
    const part = unzipSync(bytes, { filter: (file) => file.name === 'docProps/core.xml' })[
      'docProps/core.xml'
    ]
    const raw = part && /<dc:title>([^<]*)<\/dc:title>/.exec(new TextDecoder().decode(part))?.[1]
    const title = raw
      ?.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name] as string)
      .normalize('NFC')
      .trim()
    return title || null
  } catch {
    return null
  }
}

/** Word keeps comments in their own part, which mammoth does not read. */
function countWordComments(bytes: Uint8Array): number {
  try {
    const part = unzipSync(bytes, { filter: (file) => file.name === 'word/comments.xml' })[
      'word/comments.xml'
    ]
    return part ? (new TextDecoder().decode(part).match(/<w:comment\b/g) ?? []).length : 0
  } catch {
    return 0
  }
}
