/**
 * Export and import, looked at in Chromium: the HTML export of the tagged demo
 * rendered as a reader sees it (and as it prints), files dropped on the import
 * dialog (a Word export, a hostile web page), and a W3C Web Annotation export
 * imported back with the text it annotates.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  type ServerProcess,
  startServerProcess,
  type TestAccount,
  testAccount,
} from '@hashiya/testing'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, launchChromium, screenshot } from './browser.js'
import { openDemoAs } from './editor.js'

const DEMO_ID = 'demo-musk-putin'
const KINDS = ['quote', 'claim', 'denial', 'aside'] as const
const SCRIPT_NOTE = 'ملاحظة المحرر <script>window.__pwned=1</script>'
const IMG_SPEAKER = '<img src=x onerror="window.__pwned=2">'

/**
 * The spans tagged through the API before anything is exported. The aside
 * starts inside «ستارلينك», which the claim also covers: the exporter must
 * split that word across two overlapping spans and keep its letters joined.
 */
const TAGS = [
  { kind: 'claim', phrase: 'بوتين طلب من ماسك عدم توفير خدمة ستارلينك', note: SCRIPT_NOTE },
  { kind: 'aside', phrase: 'ارلينك، وهي شركة تابعة' },
  { kind: 'quote', phrase: 'أعتقد أنه يجب التحقيق في الأمر', speaker: IMG_SPEAKER },
  { kind: 'denial', phrase: 'ونفت روسيا وجود محادثات متكررة' },
] as const

interface ApiAnnotation {
  id: string
  kind: string
  text: string
  start: number
  end: number
  note: string
  speaker: string
  author: string
  relations: { type: string; target: string }[]
}

let server: ServerProcess
let browser: Browser
let context: BrowserContext
let page: Page
/** A lead: exports and reads every document through the API with a bearer token. */
let lead: TestAccount
/** The demo's annotations as the API lists them (document order). */
let tagged: ApiAnnotation[] = []

async function api<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, server.url), {
    ...init,
    headers: { ...lead.headers, ...(init?.headers as Record<string, string> | undefined) },
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: response.status, body: body as T }
}

/** A file the server exports, with the name its Content-Disposition suggests. */
async function exported(
  format: string,
): Promise<{ name: string; type: string; bytes: Buffer; text: string }> {
  const response = await fetch(
    new URL(`/api/documents/${DEMO_ID}/export?format=${format}`, server.url),
    { headers: lead.headers },
  )
  expect(response.status).toBe(200)
  const disposition = response.headers.get('content-disposition') ?? ''
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1]
  expect(encoded).toBeTruthy()
  const bytes = Buffer.from(await response.arrayBuffer())
  return {
    name: decodeURIComponent(encoded as string),
    type: (response.headers.get('content-type') ?? '').split(';')[0] as string,
    bytes,
    text: bytes.toString('utf8'),
  }
}

async function documentParagraphs(id: string): Promise<string[]> {
  return (await documentOf(id)).paragraphs
}

async function documentOf(id: string): Promise<{ title: string; paragraphs: string[] }> {
  const { status, body } = await api<{ document: { title: string; paragraphs: string[] } }>(
    `/api/documents/${encodeURIComponent(id)}`,
  )
  expect(status).toBe(200)
  return body.document
}

async function annotationsOf(id: string): Promise<ApiAnnotation[]> {
  const { status, body } = await api<{ annotations: ApiAnnotation[] }>(
    `/api/documents/${encodeURIComponent(id)}/annotations`,
  )
  expect(status).toBe(200)
  return body.annotations
}

async function documentIds(): Promise<string[]> {
  const { body } = await api<{ documents: { id: string }[] }>('/api/documents')
  return body.documents.map((d) => d.id)
}

beforeAll(async () => {
  server = await startServerProcess()
  lead = await testAccount(server.url, 'leila', 'lead', 'ليلى')
  // offsets are code points in the paragraphs joined by a blank line
  const text = (await documentParagraphs(DEMO_ID)).join('\n\n')
  for (const tag of TAGS) {
    const index = text.indexOf(tag.phrase)
    expect(index, tag.phrase).toBeGreaterThanOrEqual(0)
    const start = Array.from(text.slice(0, index)).length
    const { phrase, ...rest } = tag
    const created = await api(`/api/documents/${DEMO_ID}/annotations`, {
      method: 'POST',
      body: JSON.stringify({ ...rest, start, end: start + Array.from(phrase).length }),
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
  }
  tagged = await annotationsOf(DEMO_ID)
  expect(tagged.map((a) => a.kind)).toEqual(['claim', 'aside', 'quote', 'denial'])

  browser = await launchChromium()
  const opened = await openDemoAs(browser, server.url, 'ليلى', { username: 'leila', role: 'lead' })
  context = opened.context
  page = opened.page
})

afterAll(async () => {
  await context?.close()
  await browser?.close()
  await server?.stop()
  server?.cleanup()
})

/** A blank page for a standalone export, collecting any script error it raises. */
async function readerPage(): Promise<{ reader: Page; errors: string[]; close(): Promise<void> }> {
  const readerContext = await browser.newContext({
    viewport: { width: 1000, height: 1000 },
    // sharp enough to see in the screenshots whether the letters join
    deviceScaleFactor: 2,
    locale: 'ar',
  })
  const reader = await readerContext.newPage()
  const errors: string[] = []
  reader.on('pageerror', (error) => errors.push(error.message))
  return { reader, errors, close: () => readerContext.close() }
}

/** What a tagged span looks like in the rendered export, grouped by annotation number. */
async function renderedSpans(reader: Page) {
  return reader.locator('article').evaluate((article) => {
    const byNumber = new Map<number, { text: string; kinds: Set<string>; backgrounds: string[] }>()
    for (const span of article.querySelectorAll<HTMLElement>('span[class^="k-"]')) {
      const number = Number(/^(\d+) ·/.exec(span.title)?.[1] ?? Number.NaN)
      const entry = byNumber.get(number) ?? { text: '', kinds: new Set(), backgrounds: [] }
      // every segment of an annotation is wrapped once in its own span, in reading order
      entry.text += span.textContent ?? ''
      entry.kinds.add(span.className)
      entry.backgrounds.push(getComputedStyle(span).backgroundColor)
      byNumber.set(number, entry)
    }
    return [...byNumber].map(([number, { text, kinds, backgrounds }]) => ({
      number,
      text,
      classes: [...kinds],
      backgrounds: [...new Set(backgrounds)],
    }))
  })
}

describe('the HTML export in Chromium', () => {
  let html = ''

  beforeAll(async () => {
    html = (await exported('html')).text
  })

  it('renders the tagged article right to left, each span in its kind’s colour', async () => {
    const { reader, errors, close } = await readerPage()
    try {
      await reader.setContent(html)
      const root = await reader.evaluate(() => ({
        dir: document.documentElement.getAttribute('dir'),
        lang: document.documentElement.getAttribute('lang'),
        direction: getComputedStyle(document.querySelector('article p') as Element).direction,
        title: document.title,
      }))
      expect(root).toMatchObject({ dir: 'rtl', lang: 'ar', direction: 'rtl' })
      expect(root.title).toBe('تقارير عن محادثات ماسك وبوتين تقلق مسؤولين أميركيين')

      // the legend: the four kinds, each in a colour of its own
      const legend = await reader.locator('.legend span').evaluateAll((spans) =>
        spans.map((span) => ({
          kind: span.className.replace(/^k-/, ''),
          label: span.textContent,
          background: getComputedStyle(span).backgroundColor,
        })),
      )
      expect(legend.map((entry) => entry.kind)).toEqual([...KINDS])
      expect(legend.map((entry) => entry.label)).toEqual(['اقتباس', 'ادعاء', 'نفي', 'هامش'])
      const colour = new Map(legend.map((entry) => [entry.kind, entry.background]))
      expect(new Set(colour.values()).size).toBe(4)
      for (const background of colour.values()) {
        expect(background).not.toBe('rgba(0, 0, 0, 0)')
        expect(background).not.toBe('transparent')
      }

      // every annotation, whole, in its kind's colour (the claim and the aside overlap)
      const spans = await renderedSpans(reader)
      expect(spans.map((span) => span.number)).toEqual(tagged.map((_, index) => index + 1))
      for (const [index, annotation] of tagged.entries()) {
        const span = spans[index]
        expect(span?.text, `annotation ${index + 1}`).toBe(annotation.text)
        expect(span?.classes).toEqual([`k-${annotation.kind}`])
        expect(span?.backgrounds).toEqual([colour.get(annotation.kind)])
        const anchor = reader.locator(`#a${index + 1}`)
        expect(await anchor.getAttribute('class')).toBe(`k-${annotation.kind}`)
      }
      // the tooltips carry the note and the speaker as text
      expect(await reader.locator('#a1').getAttribute('title')).toBe(`1 · ادعاء · ${SCRIPT_NOTE}`)
      expect(await reader.locator('#a3').getAttribute('title')).toBe(
        `3 · اقتباس · المتحدث: ${IMG_SPEAKER}`,
      )

      // the numbered list: kind, quote, speaker and note as text, a link back to the span
      const items = await reader.locator('ol.annotations > li').evaluateAll((lis) =>
        lis.map((li) => ({
          kind: li.querySelector('strong')?.className,
          label: li.querySelector('strong')?.textContent,
          href: li.querySelector('a')?.getAttribute('href'),
          text: li.textContent ?? '',
        })),
      )
      expect(items).toHaveLength(tagged.length)
      for (const [index, annotation] of tagged.entries()) {
        const item = items[index]
        expect(item?.kind).toBe(`k-${annotation.kind}`)
        expect(item?.label).toBe(legend.find((entry) => entry.kind === annotation.kind)?.label)
        expect(item?.href).toBe(`#a${index + 1}`)
        expect(item?.text).toContain(`«${annotation.text}»`)
      }
      expect(items[0]?.text).toContain(`ملاحظة: ${SCRIPT_NOTE}`)
      expect(items[2]?.text).toContain(`المتحدث: ${IMG_SPEAKER}`)

      // every link stays inside the page and lands on something
      const links = await reader.locator('a[href]').evaluateAll((anchors) =>
        anchors.map((a) => {
          const href = a.getAttribute('href') ?? ''
          return { href, target: href.startsWith('#') && !!document.getElementById(href.slice(1)) }
        }),
      )
      expect(links.length).toBeGreaterThanOrEqual(tagged.length)
      for (const link of links) expect(link, link.href).toMatchObject({ target: true })

      await screenshot(reader, 'export-html-top')
      const paragraph = reader.locator('article p', { hasText: 'بوتين طلب من ماسك' })
      await paragraph.scrollIntoViewIfNeeded()
      const box = await paragraph.boundingBox()
      expect(box).not.toBeNull()
      if (box) {
        await screenshot(reader, 'export-html-tagged', {
          x: 0,
          y: Math.max(0, box.y - 20),
          width: 1000,
          height: Math.min(box.height + 190, 1000 - Math.max(0, box.y - 20)),
        })
      }
      await reader.locator('ol.annotations').scrollIntoViewIfNeeded()
      await screenshot(reader, 'export-html-notes')
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })

  it('keeps the Arabic letters joined where a span boundary falls inside a word', async () => {
    const { reader, close } = await readerPage()
    try {
      await reader.setContent(html)
      const paragraph = reader.locator('article p', { hasText: 'بوتين طلب من ماسك' })
      const widths = await paragraph.evaluate((element) => {
        const arabicLetter = /\p{Script=Arabic}/u
        // the paragraph's text, with a zero-width non-joiner wherever a span
        // boundary splits a word: what the reader would see if joining broke there
        let broken = ''
        let splits = 0
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const data = (node as Text).data
          if (arabicLetter.test(broken.at(-1) ?? '') && arabicLetter.test(data[0] ?? '')) {
            broken += '\u200c'
            splits++
          }
          broken += data
        }
        const measure = (fill: (probe: HTMLElement) => void) => {
          const probe = document.createElement('p')
          probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;width:auto'
          fill(probe)
          element.parentElement?.appendChild(probe)
          const width = probe.getBoundingClientRect().width
          probe.remove()
          return width
        }
        return {
          splits,
          tagged: measure((probe) => {
            probe.innerHTML = element.innerHTML
          }),
          plain: measure((probe) => {
            probe.textContent = element.textContent
          }),
          broken: measure((probe) => {
            probe.textContent = broken
          }),
        }
      })
      // «ست|ارلينك»: the claim ends and the aside starts inside the word
      expect(widths.splits).toBe(1)
      // the check can see a break: the unjoined letters are measurably wider or narrower
      expect(Math.abs(widths.broken - widths.plain)).toBeGreaterThan(1)
      // and the exported spans do not break it
      expect(Math.abs(widths.tagged - widths.plain)).toBeLessThan(0.5)
    } finally {
      await close()
    }
  })

  it('runs nothing from a note or a speaker, even without its Content-Security-Policy', async () => {
    const { reader, errors, close } = await readerPage()
    try {
      expect(html).toContain('Content-Security-Policy')
      const audit = (target: Page) =>
        target.evaluate(() => ({
          pwned: (window as { __pwned?: unknown }).__pwned,
          scripts: document.querySelectorAll('script').length,
          images: document.querySelectorAll('img').length,
          handlers: [...document.querySelectorAll('*')].flatMap((element) =>
            element.getAttributeNames().filter((name) => name.toLowerCase().startsWith('on')),
          ),
        }))
      await reader.setContent(html)
      expect(await audit(reader)).toEqual({ pwned: undefined, scripts: 0, images: 0, handlers: [] })

      // without the policy only the escaping stands between the text and the page;
      // a control image at the end proves handlers would run here, and that they had the time
      const unprotected = html
        .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
        .replace('</body>', '<img src="x" onerror="window.__control=1">\n</body>')
      expect(unprotected).not.toContain('Content-Security-Policy')
      // a fresh page: a document keeps the policy it was first written with
      const bare = await readerPage()
      try {
        await bare.reader.setContent(unprotected)
        await expect
          .poll(() => bare.reader.evaluate(() => (window as { __control?: unknown }).__control))
          .toBe(1)
        expect(await audit(bare.reader)).toEqual({
          pwned: undefined,
          scripts: 0,
          images: 1,
          handlers: ['onerror'],
        })
        expect(bare.errors).toEqual([])
      } finally {
        await bare.close()
      }
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })

  it('still shows the text, with kinds told apart by their underlines, when printed', async () => {
    const { reader, close } = await readerPage()
    try {
      await reader.setContent(html)
      const layout = () =>
        reader.evaluate(() => ({
          print: matchMedia('print').matches,
          listBreak: getComputedStyle(document.querySelector('ol.annotations') as Element)
            .breakBefore,
          bodyMaxWidth: getComputedStyle(document.body).maxWidth,
        }))
      expect(await layout()).toMatchObject({ print: false, listBreak: 'auto' })

      await reader.emulateMedia({ media: 'print' })
      expect(await layout()).toEqual({ print: true, listBreak: 'page', bodyMaxWidth: 'none' })
      const text = await reader.locator('article p').evaluateAll((paragraphs) =>
        paragraphs.map((p) => {
          const style = getComputedStyle(p)
          const box = p.getBoundingClientRect()
          return {
            shown:
              style.display !== 'none' &&
              style.visibility === 'visible' &&
              style.color !== 'rgba(0, 0, 0, 0)' &&
              box.width > 0 &&
              box.height > 0,
            text: p.textContent ?? '',
          }
        }),
      )
      expect(text.length).toBeGreaterThan(40)
      expect(text.filter((p) => !p.shown)).toEqual([])
      expect(text.map((p) => p.text).join('\n')).toContain(tagged[0]?.text)
      // backgrounds may not print: the underline style alone must tell the kinds apart
      const underlines = await reader.locator('.legend span').evaluateAll((spans) =>
        spans.map((span) => {
          const style = getComputedStyle(span)
          return `${style.textDecorationLine} ${style.textDecorationStyle}`
        }),
      )
      expect(underlines.every((line) => line.startsWith('underline '))).toBe(true)
      expect(new Set(underlines).size).toBe(4)

      await screenshot(reader, 'export-html-print')
      const pdf = await reader.pdf({ format: 'A4' })
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      await writeFile(join(ARTIFACTS_DIR, 'export-html-print.pdf'), pdf)
    } finally {
      await close()
    }
  })
})

/** Drags a file over the drop zone and drops it, as the operating system would. */
async function dropFile(
  zone: Locator,
  file: { name: string; type: string; bytes: Buffer },
  screenshotName?: string,
) {
  const transfer = await zone.evaluateHandle(
    (_zone, { name, type, base64 }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
      const data = new DataTransfer()
      data.items.add(new File([bytes], name, { type }))
      return data
    },
    { name: file.name, type: file.type, base64: file.bytes.toString('base64') },
  )
  /** Whether the page took the event (called preventDefault), as a real drop needs. */
  const fire = (type: string) =>
    zone.evaluate(
      (element, { type, data }) =>
        !element.dispatchEvent(
          new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }),
        ),
      { type, data: transfer },
    )
  expect(await fire('dragenter')).toBe(true)
  await expect.poll(() => zone.getAttribute('class')).toContain('import-drop--over')
  if (screenshotName) await screenshot(zone.page(), screenshotName)
  expect(await fire('dragover')).toBe(true)
  expect(await fire('drop')).toBe(true)
  await expect.poll(() => zone.getAttribute('class')).not.toContain('import-drop--over')
  await transfer.dispose()
}

async function openImportDialog(): Promise<Locator> {
  await page.goto('/')
  await page.getByTestId('document-row').first().waitFor()
  await page.getByTestId('import-open').click()
  const dialog = page.getByTestId('import-dialog')
  await dialog.waitFor()
  return dialog
}

/** Submits the dialog and returns the new document's id from the report's link. */
async function submitImport(): Promise<{ id: string; report: Locator }> {
  await page.getByTestId('import-submit').click()
  const report = page.getByTestId('import-report')
  await report.waitFor({ timeout: 15_000 })
  const href = (await page.getByTestId('import-open-document').getAttribute('href')) ?? ''
  const id = decodeURIComponent(href.replace(/^\/d\//, ''))
  expect(id).toMatch(/^[\w-]+$/)
  return { id, report }
}

/** The article as the editor shows it: one string per block, and anything a page should not hold. */
async function editorContent() {
  await page.getByTestId('editor').waitFor()
  return page.getByTestId('editor').evaluate((editor) => {
    const root = editor.querySelector('[contenteditable="true"]') ?? editor
    return {
      blocks: [...root.querySelectorAll('p, h1, h2, h3, h4')].map((block) => block.textContent),
      hostile: [
        ...root.querySelectorAll('script, img, iframe, object, embed, a[href^="javascript:"]'),
      ].map((element) => element.outerHTML),
      handlers: [...root.querySelectorAll('*')].flatMap((element) =>
        element.getAttributeNames().filter((name) => name.toLowerCase().startsWith('on')),
      ),
      pwned: (window as { __pwned?: unknown }).__pwned,
    }
  })
}

/** Whitespace as the HTML-based importers leave it: runs of spaces (and no-break spaces) as one. */
const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim()

describe('importing by drag and drop', () => {
  it('imports a Word export dropped on the dialog as a new document', async () => {
    const docx = await exported('docx')
    expect(docx.bytes.subarray(0, 2).toString('latin1')).toBe('PK')
    const before = await documentIds()
    await openImportDialog()
    await dropFile(
      page.getByTestId('import-drop'),
      { ...docx, name: 'مقال-من-وورد.docx' },
      'import-drop-dragging',
    )
    await page.getByTestId('import-chosen').waitFor()
    expect(await page.getByTestId('import-chosen').textContent()).toContain('مقال-من-وورد.docx')
    // a Word file is not W3C JSON: no second file to ask for
    expect(await page.getByTestId('import-text-file').count()).toBe(0)
    const { id, report } = await submitImport()
    expect(await page.getByTestId('import-format').textContent()).toBe('docx')
    // the title the export wrote into the Word file is the title again (not a first heading)
    const demo = await documentOf(DEMO_ID)
    expect(await report.textContent()).toContain(demo.title)
    await screenshot(page, 'import-drop-docx-report')

    // the article's paragraphs, in order
    const paragraphs = await documentParagraphs(id)
    expect(Number(await report.getAttribute('data-paragraphs'))).toBe(paragraphs.length)
    expect(paragraphs.map(squeeze)).toEqual(demo.paragraphs.map(squeeze))

    await expect.poll(documentIds).toHaveLength(before.length + 1)
    const row = page.locator(`[data-testid="document-row"][data-document-id="${id}"]`)
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.textContent()).toContain(demo.title)

    await page.getByTestId('import-open-document').click()
    // the title shows once the document's summary has loaded
    await expect
      .poll(() => page.getByTestId('document-title').textContent(), { timeout: 10_000 })
      .toContain(demo.title)
    await expect
      .poll(async () => (await editorContent()).blocks.length, { timeout: 10_000 })
      .toBe(paragraphs.length)
    const content = await editorContent()
    expect(content.blocks.join('\n')).toContain(tagged[0]?.text)
    expect(content.hostile).toEqual([])
  })

  it('imports a dropped web page without its scripts, handlers and images', async () => {
    const hostile = `<!doctype html>
<html lang="ar"><head><title>عنوان الصفحة</title><script>window.__pwned=3</script></head>
<body onload="window.__pwned=4">
<h1>مقال فيه فخاخ</h1>
<p>فقرة أولى <img src=x onerror="window.__pwned=5"> فيها نص عربي.</p>
<p onclick="window.__pwned=6">فقرة ثانية تذكر &lt;script&gt;window.__pwned=7&lt;/script&gt; نصًا.</p>
<p><a href="javascript:window.__pwned=8">رابط خطير</a> في آخر المقال.</p>
<iframe src="javascript:parent.__pwned=9"></iframe>
</body></html>`
    await openImportDialog()
    await dropFile(page.getByTestId('import-drop'), {
      name: 'مقال-مسيء.html',
      type: 'text/html',
      bytes: Buffer.from(hostile, 'utf8'),
    })
    await page.getByTestId('import-chosen').waitFor()
    const { report } = await submitImport()
    expect(await page.getByTestId('import-format').textContent()).toBe('html')
    expect(await report.getAttribute('data-paragraphs')).toBe('4')
    const dropped = await page.getByTestId('import-dropped').locator('li strong').allTextContents()
    for (const what of [
      '<script>',
      'onload=…',
      '<img>',
      'onerror=…',
      'onclick=…',
      'javascript: link',
      '<iframe>',
    ]) {
      expect(dropped).toContain(what)
    }
    expect(await report.getAttribute('data-dropped')).toBe(String(dropped.length))
    await screenshot(page, 'import-drop-html-report')

    await page.getByTestId('import-open-document').click()
    // the title shows once the document's summary has loaded
    await expect
      .poll(() => page.getByTestId('document-title').textContent(), { timeout: 10_000 })
      .toContain('عنوان الصفحة')
    await expect
      .poll(async () => (await editorContent()).blocks, { timeout: 10_000 })
      .toEqual([
        'مقال فيه فخاخ',
        'فقرة أولى فيها نص عربي.',
        // the escaped markup was text in the page, and stays text
        'فقرة ثانية تذكر <script>window.__pwned=7</script> نصًا.',
        'رابط خطير في آخر المقال.',
      ])
    const content = await editorContent()
    expect(content.hostile).toEqual([])
    expect(content.handlers).toEqual([])
    expect(content.pwned).toBeUndefined()
    await screenshot(page, 'import-drop-html-editor')
  })
})

describe('importing W3C Web Annotation with its text', () => {
  it('asks for the text, then places every annotation where it was', async () => {
    const w3c = await exported('w3c')
    expect(w3c.name).toMatch(/\.annotations\.jsonld$/)
    expect(JSON.parse(w3c.text)).toMatchObject({ type: 'AnnotationCollection', total: 4 })
    // the text the offsets count in: the paragraphs joined by a blank line
    const text = (await documentParagraphs(DEMO_ID)).join('\n\n')
    const before = await documentIds()

    await openImportDialog()
    await page.getByTestId('import-file').setInputFiles({
      name: w3c.name,
      mimeType: 'application/ld+json',
      buffer: w3c.bytes,
    })
    const textInput = page.getByTestId('import-text-file')
    await textInput.waitFor()
    // without the text the server cannot place anything, and creates nothing
    await page.getByTestId('import-submit').click()
    await page.getByTestId('import-error').waitFor({ timeout: 15_000 })
    expect(await documentIds()).toEqual(before)
    await screenshot(page, 'import-w3c-needs-text')

    await textInput.setInputFiles({
      name: 'المقال.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(text, 'utf8'),
    })
    const { id, report } = await submitImport()
    expect(await page.getByTestId('import-format').textContent()).toBe('w3c')
    expect(await report.getAttribute('data-annotations')).toBe(String(tagged.length))
    expect(await report.getAttribute('data-dropped')).toBe('0')
    await screenshot(page, 'import-w3c-report')

    const pick = (a: ApiAnnotation) => ({
      id: a.id,
      kind: a.kind,
      text: a.text,
      start: a.start,
      end: a.end,
      note: a.note,
      speaker: a.speaker,
      author: a.author,
      relations: a.relations,
    })
    expect((await annotationsOf(id)).map(pick)).toEqual(tagged.map(pick))
    expect(await documentParagraphs(id)).toEqual(await documentParagraphs(DEMO_ID))

    await page.getByTestId('import-open-document').click()
    await page.getByTestId('editor').waitFor()
    const entries = page.getByTestId('annotation-panel').getByTestId('annotation-entry')
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(tagged.length)
    const listed = await entries.evaluateAll((nodes) =>
      nodes.map((node) => ({
        id: node.getAttribute('data-annotation-id'),
        kind: node.getAttribute('data-kind'),
        text: node.querySelector('.annotation-entry__text')?.textContent ?? '',
      })),
    )
    expect(listed).toEqual(tagged.map((a) => ({ id: a.id, kind: a.kind, text: a.text })))
    // the hostile speaker is a field's value, not markup
    const quote = page.locator('[data-testid="annotation-entry"][data-kind="quote"]')
    expect(await quote.getByTestId('annotation-speaker').inputValue()).toBe(IMG_SPEAKER)
    const content = await editorContent()
    expect(content.hostile).toEqual([])
    expect(content.pwned).toBeUndefined()
    expect(await page.locator('img[src="x"]').count()).toBe(0)
    await page
      .getByTestId('editor')
      .locator(`[data-annotation-id="${tagged[0]?.id}"]`)
      .first()
      .scrollIntoViewIfNeeded()
    // each span is marked in the editor, too
    const marked = await page
      .getByTestId('editor')
      .evaluate(
        (editor) =>
          new Set(
            [...editor.querySelectorAll('[data-annotation-id]')].map((el) =>
              el.getAttribute('data-annotation-id'),
            ),
          ).size,
      )
    expect(marked).toBe(tagged.length)
    await screenshot(page, 'import-w3c-editor')
  })
})
