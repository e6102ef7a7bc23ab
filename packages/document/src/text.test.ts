import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  appendBlocks,
  appendParagraphs,
  type Block,
  blockContaining,
  blocksOf,
  bodyOf,
  createYDoc,
  encodeDocumentFromParagraphs,
  isSection,
  isValidDocumentId,
  MAX_BLOCK_NESTING,
  NodeName,
  nestingDepth,
  newDocumentId,
  paragraphsFromText,
  readBlocks,
  readParagraphs,
  readParagraphsFromUpdates,
  readPlainText,
  SECTION_SIZE,
} from './index.js'

describe('paragraphsFromText', () => {
  it('makes every non-empty line a paragraph and trims it', () => {
    expect(paragraphsFromText(' أولاً \r\n\r\nثانياً\n   \nثالثاً\r')).toEqual([
      'أولاً',
      'ثانياً',
      'ثالثاً',
    ])
  })

  it('normalizes to NFC once', () => {
    // "é" as e + combining acute becomes one code point
    expect(paragraphsFromText('cafe\u0301')).toEqual(['caf\u00e9'])
  })

  it('keeps Arabic harakat and tatweel as typed', () => {
    const line = 'قَالَ ـــ المُدِيرُ'
    expect(paragraphsFromText(line)).toEqual([line.normalize('NFC')])
  })

  it('returns nothing for blank text', () => {
    expect(paragraphsFromText(' \n\t\n')).toEqual([])
  })
})

describe('document body', () => {
  it('round-trips paragraphs through an encoded update', () => {
    const paragraphs = ['الفقرة الأولى', 'Second, with a name: Musk', 'ثالثة 😀']
    const update = encodeDocumentFromParagraphs(paragraphs)
    expect(readParagraphsFromUpdates([update])).toEqual(paragraphs)
  })

  it('joins paragraphs with a blank line', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['أ', 'ب'])
    expect(readPlainText(doc)).toBe('أ\n\nب')
  })

  it('is created with garbage collection off', () => {
    expect(createYDoc().gc).toBe(false)
  })

  it('reads marked text without formatting tags and hard breaks as newlines', () => {
    const doc = createYDoc()
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText()
    paragraph.insert(0, [text, new Y.XmlElement('hardBreak'), new Y.XmlText('بعد')])
    bodyOf(doc).insert(0, [paragraph])
    text.insert(0, 'قبل', { bold: true })
    expect(readParagraphs(doc)).toEqual(['قبل\nبعد'])
  })

  it('reads blocks with their kind, and writes line breaks back as hard breaks', () => {
    const doc = createYDoc()
    const blocks: Block[] = [
      { type: 'heading', level: 2, text: 'عنوانٌ فرعي' },
      { type: 'paragraph', text: 'سطرٌ\nوسطرٌ آخر\n' },
      { type: 'heading', level: 3, text: 'عنوان ثالث' },
    ]
    appendBlocks(doc, blocks)
    expect(readBlocks(doc)).toEqual(blocks)
    const paragraph = blocksOf(doc)[1] as Y.XmlElement
    const kinds = paragraph.toArray().map((node) => (node instanceof Y.XmlText ? 'text' : node))
    expect(kinds.map((node) => (node === 'text' ? node : (node as Y.XmlElement).nodeName))).toEqual(
      ['text', NodeName.hardBreak, 'text', NodeName.hardBreak],
    )
  })

  it('skips what a faulty client nested too deep in a block, and reads every block', () => {
    const doc = createYDoc()
    const many = Array.from({ length: MAX_BLOCK_NESTING + 10 }, (_, i) => `فقرة ${i}`)
    appendParagraphs(doc, many)
    let innermost = blocksOf(doc)[0] as Y.XmlElement
    // one transaction, as a faulty client's single update would be
    doc.transact(() => {
      for (let level = 0; level < 5000; level++) {
        const deeper = new Y.XmlElement(NodeName.paragraph)
        innermost.insert(innermost.length, [deeper])
        innermost = deeper
      }
      innermost.insert(0, [new Y.XmlText('عميق')])
    })
    expect(nestingDepth(blocksOf(doc)[0] as Y.XmlElement)).toBe(MAX_BLOCK_NESTING + 1)
    expect(nestingDepth(blocksOf(doc)[1] as Y.XmlElement)).toBe(1)
    expect(readParagraphs(doc)).toEqual(many)
  })

  it('merges concurrent appends from two replicas', () => {
    const a = createYDoc()
    const b = createYDoc()
    appendParagraphs(a, ['من أ'])
    appendParagraphs(b, ['من ب'])
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    expect(readParagraphs(a)).toEqual(readParagraphs(b))
    expect(readParagraphs(a).sort()).toEqual(['من أ', 'من ب'].sort())
  })
})

describe('sections', () => {
  const many = Array.from({ length: SECTION_SIZE * 2 + 5 }, (_, i) => `فقرة ${i}`)

  it('groups appended blocks into sections of SECTION_SIZE, read as one run of blocks', () => {
    const doc = createYDoc()
    appendParagraphs(doc, many)
    const sections = bodyOf(doc).toArray()
    expect(sections.every(isSection)).toBe(true)
    expect(sections.map((section) => (section as Y.XmlElement).length)).toEqual([
      SECTION_SIZE,
      SECTION_SIZE,
      5,
    ])
    expect(readParagraphs(doc)).toEqual(many)
    expect(
      blocksOf(doc).every((block) => (block as Y.XmlElement).nodeName === NodeName.paragraph),
    ).toBe(true)
  })

  it('reads a body from before sections, and one mixing both, in order', () => {
    const doc = createYDoc()
    const legacy = new Y.XmlElement(NodeName.paragraph)
    legacy.insert(0, [new Y.XmlText('قديمة')])
    bodyOf(doc).insert(0, [legacy])
    appendParagraphs(doc, ['جديدة'])
    expect(readParagraphs(doc)).toEqual(['قديمة', 'جديدة'])
    expect(blocksOf(doc)[0]).toBe(legacy)
  })

  it('finds the block a changed type lies in, and none for containers', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['في قسم'])
    const legacy = new Y.XmlElement(NodeName.paragraph)
    legacy.insert(0, [new Y.XmlText('بلا قسم')])
    bodyOf(doc).insert(1, [legacy])
    const body = bodyOf(doc)
    const section = body.get(0) as Y.XmlElement
    const paragraph = section.get(0) as Y.XmlElement
    expect(blockContaining(body, paragraph.get(0) as Y.XmlText)).toBe(paragraph)
    expect(blockContaining(body, paragraph)).toBe(paragraph)
    expect(blockContaining(body, legacy.get(0) as Y.XmlText)).toBe(legacy)
    expect(blockContaining(body, section)).toBeNull()
    expect(blockContaining(body, body)).toBeNull()
    expect(blockContaining(body, doc.getMap('elsewhere'))).toBeNull()
  })
})

describe('document ids', () => {
  it('generates valid, distinct ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newDocumentId()))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(isValidDocumentId(id)).toBe(true)
  })

  it('rejects ids that could escape a path or a URL', () => {
    for (const bad of ['', '../etc', 'a/b', 'a b', 'x'.repeat(65), 'مستند']) {
      expect(isValidDocumentId(bad)).toBe(false)
    }
  })
})
