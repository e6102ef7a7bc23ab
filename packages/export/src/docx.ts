/**
 * A Word document of the annotated article: right-to-left (bidi) paragraphs,
 * Arabic runs set as complex script, each kind shaded and underlined in its
 * colour, and kind, speaker and note as Word comments anchored on the span
 * (several paragraphs long if the annotation is).
 */
import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  TextRun,
  UnderlineType,
} from 'docx'
import { KIND_LABELS } from './html.js'
import { segmentParagraphs } from './segments.js'
import { type ExportSource, personName } from './source.js'

/** Word shows a comment's initials in its margin: the first letter of the first two words. */
function initialsOf(name: string): string {
  return name
    .split(/\s+/u)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => Array.from(word)[0])
    .join('')
}

const UNDERLINE = {
  dashed: UnderlineType.DASH,
  solid: UnderlineType.SINGLE,
  wavy: UnderlineType.WAVE,
  dotted: UnderlineType.DOTTED,
} as const

const HEADING_LEVELS = { 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const
/** Half-points, as the body's 13/14 pt. */
const HEADING_SIZES = {
  2: { size: 32, sizeComplexScript: 34 },
  3: { size: 28, sizeComplexScript: 30 },
} as const

const FONT = { ascii: 'Arial', hAnsi: 'Arial', cs: 'Noto Naskh Arabic', hint: 'cs' } as const
const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/

/** The colour mixed with white: a shade light enough to read black text on. */
function tint(hex: string, white = 0.78): string {
  const channel = (i: number) => {
    const value = Number.parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16)
    return Math.round(value + (255 - value) * white)
      .toString(16)
      .padStart(2, '0')
  }
  return `${channel(0)}${channel(1)}${channel(2)}`.toUpperCase()
}

/** Run properties shared by every run: Arabic as complex script, right to left when it is Arabic. */
function textRun(
  text: string,
  extra: Partial<ConstructorParameters<typeof TextRun>[0] & object> = {},
) {
  return new TextRun({
    text,
    font: FONT,
    size: 26,
    sizeComplexScript: 28,
    rightToLeft: ARABIC.test(text),
    language: { bidirectional: 'ar-SA' },
    ...extra,
  })
}

function rtlParagraph(
  children: ParagraphChild[],
  heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel],
) {
  return new Paragraph({ bidirectional: true, alignment: AlignmentType.START, heading, children })
}

export async function toDocx(source: ExportSource): Promise<Uint8Array> {
  const annotations = source.annotations
  const opened = new Set<number>()
  const closed = new Set<number>()
  const lastSegment = new Map<number, number>()
  const segmented = segmentParagraphs(source)
  let counter = 0
  for (const segments of segmented) {
    for (const segment of segments) {
      for (const index of segment.covering) lastSegment.set(index, counter)
      counter++
    }
  }
  counter = 0
  const body = segmented.map((segments, blockIndex) => {
    const block = source.blocks[blockIndex]
    // the whole heading larger and bold (never part of a word, which would break its joining)
    const headingRun =
      block?.type === 'heading'
        ? { bold: true, boldComplexScript: true, ...HEADING_SIZES[block.level] }
        : {}
    const children: ParagraphChild[] = []
    for (const segment of segments) {
      for (const index of segment.covering) {
        if (!opened.has(index)) {
          opened.add(index)
          children.push(new CommentRangeStart(index + 1))
        }
      }
      const innermost = segment.covering[segment.covering.length - 1]
      const kind =
        innermost === undefined
          ? null
          : KIND_LABELS[(annotations[innermost] as (typeof annotations)[number]).kind]
      // a line break inside the block (Shift+Enter) is a Word line break, not a character
      segment.text.split('\n').forEach((line, lineIndex) => {
        children.push(
          textRun(line, {
            ...headingRun,
            ...(lineIndex > 0 ? { break: 1 } : {}),
            ...(kind
              ? {
                  shading: { type: ShadingType.CLEAR, fill: tint(kind.colour), color: 'auto' },
                  underline: {
                    type: UNDERLINE[kind.line as keyof typeof UNDERLINE],
                    color: kind.colour.slice(1),
                  },
                }
              : {}),
          }),
        )
      })
      for (const index of segment.covering) {
        if (lastSegment.get(index) === counter && !closed.has(index)) {
          closed.add(index)
          children.push(new CommentRangeEnd(index + 1))
          children.push(new TextRun({ children: [new CommentReference(index + 1)] }))
        }
      }
      counter++
    }
    return rtlParagraph(
      children,
      block?.type === 'heading' ? HEADING_LEVELS[block.level] : undefined,
    )
  })
  const comments = annotations.map((a, index) => ({
    id: index + 1,
    // a comment is its author's, made when the tag was
    author: personName(source, a.author),
    initials: initialsOf(personName(source, a.author)),
    date: new Date(a.createdAt),
    children: [
      rtlParagraph([
        textRun(`${index + 1}. ${KIND_LABELS[a.kind].ar} (${a.kind})`, {
          bold: true,
          boldComplexScript: true,
        }),
      ]),
      ...(a.speaker ? [rtlParagraph([textRun(`المتحدث: ${a.speaker}`)])] : []),
      ...(a.note
        ? `ملاحظة: ${a.note}`.split('\n').map((line) => rtlParagraph([textRun(line)]))
        : []),
      ...a.relations.map((r) => {
        const target = annotations.findIndex((other) => other.id === r.target)
        return rtlParagraph([textRun(`${r.type === 'denies' ? 'ينفي' : 'يقول'} #${target + 1}`)])
      }),
    ],
  }))
  const document = new Document({
    creator: 'Hashiya',
    title: source.title,
    description: `Annotated article ${source.documentId}`,
    comments: { children: comments },
    sections: [
      {
        properties: {},
        children: [
          rtlParagraph(
            [textRun(source.title, { bold: true, boldComplexScript: true })],
            HeadingLevel.TITLE,
          ),
          ...body,
        ],
      },
    ],
  })
  return new Uint8Array(await Packer.toBuffer(document))
}
