import { createAnnotation, readAnnotations, updateAnnotation } from '@hashiya/annotations'
import {
  appendBlocks,
  appendParagraphs,
  type Block,
  blocksOf,
  createYDoc,
  readBlocks,
  readParagraphs,
} from '@hashiya/document'
import { exportSourceOf, toHtml, toNativeJson, toWebAnnotations } from '@hashiya/export'
import { Document, Packer, Paragraph, TextRun } from 'docx'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ImportError, importDocument } from './index.js'

const encode = (text: string) => new TextEncoder().encode(text)

function annotatedSource() {
  const doc = createYDoc()
  appendParagraphs(doc, [
    '😀 قَالَ نيلسون: "أعتقد أنه يجب التحقيق".',
    'ونفت روســيا 𝒳 ذلك، وقال Musk إنها كذبة.',
  ])
  const claim = createAnnotation(doc, {
    kind: 'claim',
    start: 16,
    end: 37,
    author: 'leila',
    now: 1_000,
  })
  const denial = createAnnotation(doc, {
    kind: 'denial',
    start: 41,
    end: 57,
    author: 'sami',
    speaker: 'روسيا',
    now: 2_000,
  })
  updateAnnotation(doc, denial, { link: [claim], note: 'نفي رسمي' }, 'sami', undefined, 3_000)
  createAnnotation(doc, { kind: 'aside', start: 30, end: 46, author: 'omar', now: 4_000 })
  return exportSourceOf(doc, { documentId: 'demo', title: 'مقال' })
}

function reopen(update: Uint8Array) {
  const doc = createYDoc()
  Y.applyUpdate(doc, update)
  return doc
}

const comparable = (doc: Y.Doc) =>
  readAnnotations(doc).annotations.map(
    ({ id, kind, start, end, text, note, speaker, author, createdAt, relations }) => ({
      id,
      kind,
      start,
      end,
      text,
      note,
      speaker,
      author,
      createdAt,
      relations,
    }),
  )

describe('importDocument', () => {
  it('round-trips native JSON to identical annotations', async () => {
    const source = annotatedSource()
    const file = encode(JSON.stringify(toNativeJson(source)))
    const result = await importDocument({ filename: 'مقال.hashiya.json', bytes: file })
    expect(result.report).toMatchObject({ format: 'json', annotations: 3, dropped: [] })
    const doc = reopen(result.update)
    expect(readParagraphs(doc)).toEqual(source.blocks.map((block) => block.text))
    const original = source.annotations.map(
      ({ id, kind, start, end, text, note, speaker, author, createdAt, relations }) => ({
        id,
        kind,
        start,
        end,
        text,
        note,
        speaker,
        author,
        createdAt,
        relations,
      }),
    )
    expect(comparable(doc)).toEqual(original)
    expect(result.title).toBe('مقال')
  })

  it('round-trips headings and line breaks through native JSON', async () => {
    const doc = createYDoc()
    const blocks: Block[] = [
      { type: 'heading', level: 2, text: 'عنوانٌ فرعي' },
      { type: 'paragraph', text: 'ادعاء.\nسطرٌ ثانٍ' },
      { type: 'heading', level: 3, text: 'عنوان ثالث' },
    ]
    appendBlocks(doc, blocks)
    createAnnotation(doc, { kind: 'claim', start: 13, end: 29, author: 'rana' })
    const source = exportSourceOf(doc, { documentId: 'd', title: 't' })
    const result = await importDocument({
      filename: 'd.hashiya.json',
      bytes: encode(JSON.stringify(toNativeJson(source))),
    })
    const imported = reopen(result.update)
    expect(readBlocks(imported)).toEqual(blocks)
    expect(readAnnotations(imported).annotations[0]?.ranges).toEqual(source.annotations[0]?.ranges)
  })

  it('round-trips W3C Web Annotation with its text', async () => {
    const source = annotatedSource()
    const result = await importDocument({
      filename: 'annotations.jsonld',
      bytes: encode(JSON.stringify(toWebAnnotations(source))),
      text: encode(source.text),
    })
    expect(result.report).toMatchObject({ format: 'w3c', annotations: 3, dropped: [] })
    const imported = comparable(reopen(result.update)).map(({ createdAt: _, ...rest }) => rest)
    const original = source.annotations.map(
      ({ id, kind, start, end, text, note, speaker, author, relations }) => ({
        id,
        kind,
        start,
        end,
        text,
        note,
        speaker,
        author,
        relations,
      }),
    )
    expect(imported).toEqual(original)
  })

  it('places W3C annotations by their quote when positions no longer match, and reports the rest', async () => {
    const source = annotatedSource()
    const collection = toWebAnnotations(source)
    const [first, second] = collection.first.items
    ;(first?.target.selector[1] as { start: number }).start += 3
    ;(second?.target.selector[0] as { exact: string }).exact = 'نص غير موجود'
    ;(second?.target.selector[1] as { start: number }).start += 1
    const result = await importDocument({
      filename: 'a.jsonld',
      bytes: encode(JSON.stringify(collection)),
      text: encode(source.text),
    })
    expect(result.report.annotations).toBe(2)
    expect(result.report.dropped.map((d) => d.reason)).toContain('its text is not in the document')
    // a code and its values, for the web app to say it in the reader's language
    expect(result.report.dropped).toContainEqual(
      expect.objectContaining({ code: 'text-not-found', params: { text: 'نص غير موجود' } }),
    )
  })

  it('imports HTML as clean paragraphs and headings, dropping scripts, handlers and remote resources', async () => {
    const html = `<html><head><title>x</title><script>alert(1)</script><style>p{}</style></head><body>
      <h1 onclick="steal()">عنوان <b>الخبر</b></h1>
      <p>فقرة <a href="javascript:alert(1)">رابط</a> أولى<br>سطر ثانٍ</p>
      <img src="https://tracker.example/x.png"><iframe src="https://evil.example"></iframe>
      <div>نص &amp; <span style="color:red">ملون</span></div></body></html>`
    const result = await importDocument({ filename: 'page.html', bytes: encode(html) })
    const doc = reopen(result.update)
    expect(readParagraphs(doc)).toEqual(['عنوان الخبر', 'فقرة رابط أولى', 'سطر ثانٍ', 'نص & ملون'])
    expect((blocksOf(doc)[0] as Y.XmlElement).nodeName).toBe('heading')
    const dropped = result.report.dropped.map((d) => d.what).join(' ')
    for (const what of ['<script>', '<style>', 'onclick', '<img>', '<iframe>', 'javascript:'])
      expect(dropped).toContain(what)
    expect(JSON.stringify(doc.toJSON())).not.toMatch(/script|onclick|javascript|tracker/)
    expect(result.title).toBe('x')
  })

  it('takes only the article from a Hashiya HTML export, titled as it was', async () => {
    const doc = createYDoc()
    appendBlocks(doc, [
      { type: 'heading', level: 2, text: 'عنوانٌ فرعي' },
      { type: 'paragraph', text: 'قال نيلسون إن القصة صحيحة.' },
    ])
    createAnnotation(doc, { kind: 'claim', start: 12, end: 25, author: 'rana', note: 'ملاحظة' })
    const html = toHtml(exportSourceOf(doc, { documentId: 'd', title: 'ماسك وبوتين' }))
    const result = await importDocument({ filename: 'rt.html', bytes: encode(html) })
    const imported = reopen(result.update)
    expect(readBlocks(imported)).toEqual(readBlocks(doc))
    expect(result.title).toBe('ماسك وبوتين')
  })

  it('imports Markdown, DOCX and plain text, normalized to NFC', async () => {
    const md = await importDocument({
      filename: 'n.md',
      bytes: encode('# عنوان\n\nفقرة **مهمة** [رابط](https://x)\n\n- بند'),
    })
    expect(readParagraphs(reopen(md.update))).toEqual(['عنوان', 'فقرة مهمة رابط', 'بند'])
    const word = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              new Paragraph({
                bidirectional: true,
                children: [new TextRun({ text: 'قال المتحدث باسم الكرملين', rightToLeft: true })],
              }),
            ],
          },
        ],
      }),
    )
    const docx = await importDocument({ filename: 'تقرير.docx', bytes: new Uint8Array(word) })
    expect(readParagraphs(reopen(docx.update))).toEqual(['قال المتحدث باسم الكرملين'])
    expect(docx.title).toBe('تقرير')
    const txt = await importDocument({ filename: 'a.txt', bytes: encode('cafe\u0301\n\nسطر') })
    expect(readParagraphs(reopen(txt.update))).toEqual(['caf\u00e9', 'سطر'])
  })

  it('reads our own DOCX export: its title as the title, comments reported as not imported', async () => {
    const { toDocx } = await import('@hashiya/export')
    const source = { ...annotatedSource(), title: 'عنوان & التقرير' }
    const word = await toDocx(source)
    const imported = await importDocument({ filename: 'تقرير.docx', bytes: new Uint8Array(word) })
    // the title heading the export starts with is the document's title again, not its first block
    expect(imported.title).toBe('عنوان & التقرير')
    expect(readParagraphs(reopen(imported.update))).toEqual(
      source.blocks.map((block) => block.text),
    )
    expect(imported.report.dropped.map((d) => d.what)).toContain(
      `${source.annotations.length} Word comment(s)`,
    )
    expect(imported.report.dropped).toContainEqual(
      expect.objectContaining({
        code: 'word-comments',
        params: { count: source.annotations.length },
      }),
    )
    expect(imported.report.dropped.map((d) => d.reason).join()).not.toMatch(/style/i)
  })

  it('refuses malformed input with a clear error', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['bad.json', encode('{"format": '), /not valid JSON/],
      ['other.json', encode('{"hello": 1}'), /not a Hashiya export/],
      ['bad.docx', encode('not a zip'), /not a readable Word/],
      ['empty.txt', encode('  \n '), /no text/],
      ['binary.txt', new Uint8Array([0xff, 0xfe, 0x00, 0xd8]), /not UTF-8/],
      ['w3c.jsonld', encode('{"type":"AnnotationCollection","items":[]}'), /needs the text/],
      ['photo.png', encode('x'), /unsupported file type/],
    ]
    for (const [filename, bytes, message] of cases) {
      await expect(importDocument({ filename, bytes }), filename).rejects.toThrow(message)
      await expect(importDocument({ filename, bytes })).rejects.toBeInstanceOf(ImportError)
    }
  })
})
