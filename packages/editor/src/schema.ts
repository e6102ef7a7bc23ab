/**
 * The article schema: paragraphs and two heading levels of plain text with hard
 * breaks, grouped in sections (see section.ts), and one mark, `annotation` (an
 * id only; see annotations/mark.ts).
 * Node names match `NodeName` from @hashiya/document, which the server uses to
 * read and write the same Yjs body.
 */
import { NodeName } from '@hashiya/document'
import type { Extensions } from '@tiptap/core'
import Document from '@tiptap/extension-document'
import HardBreak from '@tiptap/extension-hard-break'
import Heading from '@tiptap/extension-heading'
import Paragraph from '@tiptap/extension-paragraph'
import Text from '@tiptap/extension-text'
import { Placeholder } from '@tiptap/extensions'
import { AnnotationMark } from './annotations/mark.js'
import { Section } from './section.js'

/** Heading levels an article may use (its title lives outside the body). */
export const HEADING_LEVELS = [2, 3] as const
export type HeadingLevel = (typeof HEADING_LEVELS)[number]

export interface ArticleSchemaOptions {
  /** Shown in an empty article; a function is read at each render (to follow the UI language). */
  placeholder?: string | (() => string)
}

/**
 * Sections or, in articles from before them, blocks directly. An empty article
 * starts with a bare paragraph as before; text added by the server comes in
 * sections.
 */
const ArticleDocument = Document.extend({ content: '(block | section)+' })

/**
 * Headings without their Mod-Alt-<level> shortcuts: Mod-Alt-1…4 tag annotations
 * (headings are set from the toolbar).
 */
const ArticleHeading = Heading.extend({
  addKeyboardShortcuts() {
    return {}
  },
})

export function articleSchemaExtensions(options: ArticleSchemaOptions = {}): Extensions {
  const extensions: Extensions = [
    ArticleDocument,
    Section,
    Paragraph,
    Text,
    HardBreak,
    ArticleHeading.configure({ levels: [...HEADING_LEVELS] }),
    AnnotationMark,
  ]
  if (options.placeholder) {
    const { placeholder } = options
    extensions.push(
      Placeholder.configure({
        placeholder: typeof placeholder === 'function' ? () => placeholder() : placeholder,
      }),
    )
  }
  return extensions
}

/** Node names the schema must produce, checked by the tests against @hashiya/document. */
export const ARTICLE_NODE_NAMES = ['doc', 'text', ...Object.values(NodeName)] as const
