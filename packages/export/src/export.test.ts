import { createAnnotation, updateAnnotation } from '@hashiya/annotations'
import { appendBlocks, appendParagraphs, createYDoc } from '@hashiya/document'
import { parse } from 'csv-parse/sync'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import {
  EXPORT_FORMATS,
  exportDocument,
  exportSourceOf,
  toBratAnn,
  toCsv,
  toHtml,
  toLabelStudioTasks,
  toNativeJson,
  toWebAnnotations,
} from './index.js'

/** Text that trips every offset unit: emoji and other astral characters, harakat, tatweel, Latin, digits. */
const PARAGRAPHS = [
  '😀 قَالَ مُدِيرُ ناسا Bill Nelson في 2024: "أعتقد أنه يجب التحقيق".',
  'ونفت روســيا 𝒳 وجود 12 محادثة، =SUM(A1) وقال الكرملين إنها "أكاذيب".',
]

function source() {
  const doc = createYDoc()
  appendParagraphs(doc, PARAGRAPHS)
  const text = PARAGRAPHS.join('\n\n')
  const at = (phrase: string) => {
    const index = text.indexOf(phrase)
    const start = Array.from(text.slice(0, index)).length
    return { start, end: start + Array.from(phrase).length }
  }
  const claim = createAnnotation(doc, {
    kind: 'claim',
    ...at('أعتقد أنه يجب التحقيق'),
    author: 'leila',
  })
  const quote = createAnnotation(doc, {
    kind: 'quote',
    ...at('قَالَ مُدِيرُ ناسا Bill Nelson'),
    author: 'sami',
    speaker: 'Bill Nelson',
    note: '<script>alert("x")</script>',
  })
  const denial = createAnnotation(doc, {
    kind: 'denial',
    ...at('ونفت روســيا 𝒳 وجود'),
    author: 'sami',
  })
  updateAnnotation(doc, denial, { link: [claim], speaker: '=cmd|calc' }, 'sami')
  updateAnnotation(doc, quote, { link: [claim] }, 'sami')
  const spanning = createAnnotation(doc, {
    kind: 'aside',
    ...at('"أعتقد أنه يجب التحقيق".\n\nونفت'),
    author: 'omar',
  })
  return {
    source: exportSourceOf(doc, {
      documentId: 'demo',
      title: 'خبر: "ماسك" <و> بوتين',
      // omar's account is not named here: his id stands for him
      people: new Map([
        ['leila', 'ليلى حداد'],
        ['sami', 'سامي <ب>'],
      ]),
    }),
    ids: { claim, quote, denial, spanning },
  }
}

const byCodePoints = (text: string, start: number, end: number) =>
  Array.from(text).slice(start, end).join('')

describe('exports', () => {
  it('native JSON: code-point offsets slice exactly the quoted text', () => {
    const { source: s } = source()
    const exported = toNativeJson(s)
    expect(exported.offsets).toBe('unicode-code-points')
    expect(exported.annotations).toHaveLength(4)
    for (const a of exported.annotations)
      expect(byCodePoints(exported.document.text, a.start, a.end)).toBe(a.text)
  })

  it('W3C: position selectors in code points, quote selectors with context, relations by id', () => {
    const { source: s, ids } = source()
    const collection = toWebAnnotations(s)
    expect(collection.total).toBe(4)
    for (const item of collection.first.items) {
      const [quote, position] = item.target.selector as unknown as [
        { exact: string; prefix: string; suffix: string },
        { start: number; end: number },
      ]
      expect(byCodePoints(s.text, position.start, position.end)).toBe(quote.exact)
      expect(s.text.includes(quote.prefix + quote.exact + quote.suffix)).toBe(true)
      expect(item.body[0]).toMatchObject({ purpose: 'tagging' })
    }
    const denial = collection.first.items.find((i) => i.id.endsWith(ids.denial)) as Record<
      string,
      unknown
    >
    expect(denial.denies).toEqual([`urn:hashiya:annotation:${ids.claim}`])
    expect(denial.speaker).toBe('=cmd|calc')
  })

  it('Label Studio: offsets in UTF-16 units, shifted by astral characters', () => {
    const { source: s } = source()
    const [task] = toLabelStudioTasks(s)
    const results = task?.annotations[0]?.result ?? []
    const spans = results.filter((r) => r.type === 'labels') as {
      value: { start: number; end: number; text: string }
    }[]
    expect(spans).toHaveLength(4)
    for (const span of spans)
      expect(task?.data.text.slice(span.value.start, span.value.end)).toBe(span.value.text)
    // the emoji before the quote counts as two units, not one
    const quote = spans.find((r) => r.value.text.startsWith('قَالَ'))
    expect(quote?.value.start).toBe(3)
    expect(results.filter((r) => r.type === 'relation')).toHaveLength(2)
  })

  it('brat: T lines in code points of the .txt, discontinuous over paragraphs, R lines and notes', async () => {
    const { source: s } = source()
    const ann = toBratAnn(s)
    const lines = ann.trim().split('\n')
    const spans = lines.filter((l) => l.startsWith('T'))
    expect(spans).toHaveLength(4)
    for (const line of spans) {
      const [, typeAndOffsets, text] = line.split('\t') as [string, string, string]
      const fragments = typeAndOffsets
        .split(' ')
        .slice(1)
        .join(' ')
        .split(';')
        .map((f) => f.split(' ').map(Number) as [number, number])
      expect(fragments.map(([a, b]) => byCodePoints(s.text, a, b)).join(' ')).toBe(text)
    }
    expect(spans.some((l) => l.includes(';'))).toBe(true)
    expect(
      lines.filter((l) => l.startsWith('R')).map((l) => l.split('\t')[1]?.split(' ')[0]),
    ).toEqual(['States', 'Denies'])
    expect(lines.some((l) => l.startsWith('#') && l.includes('speaker: Bill Nelson'))).toBe(true)
    const zip = unzipSync((await exportDocument(s, 'brat')).body as Uint8Array)
    expect(Object.keys(zip).sort()).toEqual(
      ['annotation.conf', 'خبر-ماسك-و-بوتين.ann', 'خبر-ماسك-و-بوتين.txt'].sort(),
    )
    expect(strFromU8(zip['خبر-ماسك-و-بوتين.txt'] as Uint8Array)).toBe(s.text)
  })

  it('CSV: BOM, one row per annotation, formulas defused', () => {
    const { source: s } = source()
    const csv = toCsv(s)
    expect(
      csv.startsWith(
        '\uFEFFid,kind,text,start,end,speaker,note,author,author_name,created,updated,related_ids\r\n',
      ),
    ).toBe(true)
    expect(csv.trim().split('\r\n')).toHaveLength(5)
    expect(csv).toContain("'=cmd|calc")
    expect(csv).not.toMatch(/,=cmd/)
  })

  it('names the people who tagged by their display names, by their ids where unnamed', () => {
    const { source: s } = source()
    const rows = parse(toCsv(s), { bom: true, columns: true }) as Record<string, string>[]
    expect(rows.map((row) => [row.author, row.author_name])).toEqual([
      ['sami', 'سامي <ب>'],
      ['omar', 'omar'],
      ['leila', 'ليلى حداد'],
      ['sami', 'سامي <ب>'],
    ])
    const creators = toWebAnnotations(s).first.items.map((item) => item.creator)
    expect(creators.find((c) => c.nickname === 'leila')).toEqual({
      id: 'urn:hashiya:user:leila',
      type: 'Person',
      nickname: 'leila',
      name: 'ليلى حداد',
    })
    expect(creators.find((c) => c.nickname === 'omar')).not.toHaveProperty('name')
    // the native file names only the people in it
    expect(toNativeJson(s).people).toEqual({ leila: 'ليلى حداد', sami: 'سامي <ب>' })
    const html = toHtml(s)
    expect(html).toContain('من إضافة <bdi>سامي &lt;ب&gt;</bdi>')
    expect(html).toContain('من إضافة <bdi>omar</bdi>')
  })

  it('CSV: a cell with line breaks (text across paragraphs, a note) stays one cell', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['السطر الأول', 'السطر الثاني'])
    const id = createAnnotation(doc, { kind: 'claim', start: 0, end: 25, author: 'rana' })
    updateAnnotation(doc, id, { note: 'ملاحظة\nمن سطرين' }, 'rana')
    // as spreadsheets and Python's csv module read it: any unquoted line break ends a row
    const rows = parse(toCsv(exportSourceOf(doc, { documentId: 'd', title: 't' })), {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    })
    expect(rows).toHaveLength(2)
    expect(rows[1]).toHaveLength(12)
    expect(rows[1]?.slice(2, 7)).toEqual([
      'السطر الأول\n\nالسطر الثاني',
      '0',
      '25',
      '',
      'ملاحظة\nمن سطرين',
    ])
  })

  it('HTML: right-to-left, every annotation shown, notes inert', () => {
    const { source: s } = source()
    const html = toHtml(s)
    expect(html).toMatch(/<html lang="ar" dir="rtl">/)
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(html).toContain('<title>خبر: &quot;ماسك&quot; &lt;و&gt; بوتين</title>')
    expect(html.match(/<li id="n\d+">/g)).toHaveLength(4)
    expect(html).toContain('@media print')
    expect(html).toContain('ينفي <a href="#a')
  })

  it('names every format a file and a content type', async () => {
    const { source: s } = source()
    for (const format of EXPORT_FORMATS) {
      const file = await exportDocument(s, format)
      expect(file.filename).toMatch(/\.\w+$/)
      expect(file.contentType).toMatch(/\//)
      expect(file.body.length).toBeGreaterThan(0)
    }
  })
})

describe('docx', () => {
  it('writes right-to-left paragraphs, complex-script Arabic runs, shading and comments', async () => {
    const { source: s } = source()
    const file = await exportDocument(s, 'docx')
    const parts = unzipSync(file.body as Uint8Array)
    const document = strFromU8(parts['word/document.xml'] as Uint8Array)
    const comments = strFromU8(parts['word/comments.xml'] as Uint8Array)
    expect(document).toContain('<w:bidi/>')
    expect(document).toContain('<w:rtl/>')
    expect(document).toMatch(/w:cs="Noto Naskh Arabic"/)
    expect(document).toMatch(/<w:shd [^>]*w:fill="[0-9A-F]{6}"/)
    expect(document.match(/<w:commentRangeStart /g)).toHaveLength(4)
    // each comment is its author's, by name, dated when the tag was made
    const authors = [
      ...comments.matchAll(
        /<w:comment [^>]*w:initials="([^"]*)" w:author="([^"]*)" w:date="([^"]*)"/g,
      ),
    ]
    expect(authors.map((m) => [m[2], m[1]])).toEqual([
      ['سامي &lt;ب&gt;', 'س&lt;'],
      ['omar', 'o'],
      ['ليلى حداد', 'لح'],
      ['سامي &lt;ب&gt;', 'س&lt;'],
    ])
    const quote = s.annotations[0]
    expect(authors[0]?.[3]).toBe(new Date(quote?.createdAt ?? 0).toISOString())
    expect(comments).toContain('Bill Nelson')
    expect(comments).toContain('&lt;script&gt;')
    expect(comments).not.toContain('<script>')
  })
})

describe('headings and line breaks', () => {
  function withHeadings() {
    const doc = createYDoc()
    appendBlocks(doc, [
      { type: 'heading', level: 2, text: 'عنوانٌ فرعي' },
      { type: 'paragraph', text: 'ادعاء.\nسطرٌ ثانٍ' },
      { type: 'heading', level: 3, text: 'عنوان ثالث' },
    ])
    createAnnotation(doc, { kind: 'claim', start: 13, end: 29, author: 'rana' })
    return exportSourceOf(doc, { documentId: 'd', title: 't' })
  }

  it('HTML: headings as h2/h3, a line break as <br>', () => {
    const html = toHtml(withHeadings())
    expect(html).toContain('<h2>عنوانٌ فرعي</h2>')
    expect(html).toContain('<h3>عنوان ثالث</h3>')
    // the hard break is not part of the mark: the claim is drawn on both sides of it
    expect(html).toMatch(/<p><span [^>]*>ادعاء\.<\/span><br><span [^>]*>سطرٌ ثانٍ<\/span><\/p>/)
  })

  it('native JSON says which blocks are headings', () => {
    const json = toNativeJson(withHeadings())
    expect(json.document.blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'heading'])
    expect(json.document.paragraphs[1]).toBe('ادعاء.\nسطرٌ ثانٍ')
  })

  it('DOCX: heading styles, a line break as a Word break', async () => {
    const file = await exportDocument(withHeadings(), 'docx')
    const document = strFromU8(
      unzipSync(file.body as Uint8Array)['word/document.xml'] as Uint8Array,
    )
    expect(document).toContain('<w:pStyle w:val="Heading2"/>')
    expect(document).toContain('<w:pStyle w:val="Heading3"/>')
    expect(document).toContain('<w:br/>')
    expect(document).not.toMatch(/<w:t[^>]*>[^<]*\n/)
  })
})

describe('Arabic counts in the HTML export', () => {
  it('agree with the number', async () => {
    const { countOfAnnotations } = await import('./html.js')
    expect([0, 1, 2, 3, 10, 11, 100].map(countOfAnnotations)).toEqual([
      'لا حواشي',
      'حاشية واحدة',
      'حاشيتان',
      '3 حواشٍ',
      '10 حواشٍ',
      '11 حاشية',
      '100 حاشية',
    ])
  })
})
