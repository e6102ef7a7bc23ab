/**
 * The DOCX export opened by a real word processor: LibreOffice converts it to
 * PDF without error, and the PDF's text contains the article.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAnnotation } from '@hashiya/annotations'
import { appendParagraphs, createYDoc } from '@hashiya/document'
import { afterAll, describe, expect, it } from 'vitest'
import { exportDocument, exportSourceOf } from './index.js'

const soffice = spawnSync('which', ['soffice'], { encoding: 'utf8' }).stdout.trim()
const pdftotext = spawnSync('which', ['pdftotext'], { encoding: 'utf8' }).stdout.trim()
const available = soffice !== '' && pdftotext !== ''
if (!available && process.env.CI === 'true') {
  throw new Error(
    'LibreOffice and pdftotext are required in CI: install libreoffice-writer poppler-utils',
  )
}
if (!available)
  console.warn('skipping the LibreOffice DOCX check: soffice or pdftotext is not installed')

const dir = mkdtempSync(join(tmpdir(), 'hashiya-docx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(!available)('DOCX in LibreOffice', () => {
  it('converts to PDF and keeps the article text', async () => {
    const doc = createYDoc()
    appendParagraphs(doc, [
      'قال مدير وكالة ناسا بيل نيلسون إنه يجب التحقيق في الأمر.',
      'ونفت روسيا ذلك.',
    ])
    createAnnotation(doc, {
      kind: 'quote',
      start: 0,
      end: 20,
      author: 'leila',
      note: '<script>x</script>',
    })
    const file = await exportDocument(
      exportSourceOf(doc, { documentId: 'd', title: 'تقرير' }),
      'docx',
    )
    const input = join(dir, 'article.docx')
    writeFileSync(input, file.body as Uint8Array)
    execFileSync(
      soffice,
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=file://${dir}/profile`,
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        input,
      ],
      {
        timeout: 120_000,
        stdio: 'pipe',
      },
    )
    const pdf = readFileSync(join(dir, 'article.pdf'))
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const text = execFileSync('pdftotext', [join(dir, 'article.pdf'), '-'], {
      encoding: 'utf8',
    }).normalize('NFKC')
    expect(text).toContain('روسيا')
    expect(text).toContain('تقرير')
  }, 180_000)
})
