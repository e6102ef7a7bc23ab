/**
 * `pnpm bench --browser`: the editor in Chromium (playwright-core driving
 * Debian's /usr/bin/chromium, or CHROMIUM_PATH) against our server, on the
 * large document (100,000 words, 10,000 annotations by default; --words and
 * --annotations to change):
 *
 * - open: from navigation to the editor connected with every mark rendered;
 * - typing: key to paint for each keystroke (the keydown event's timestamp to
 *   the frame after the editor's DOM changed: a requestAnimationFrame callback,
 *   then a task posted from it, which runs once that frame is painted);
 * - tagging: Ctrl+Alt+1 on a selection to the frame that shows the new mark,
 *   from the keydown event's timestamp like typing (and, as first measured,
 *   from just before the harness presses the keys, which adds the time the
 *   key takes to reach the page);
 * - the annotation panel: frame times while it is scrolled from top to bottom,
 *   and how many entries it keeps in the DOM (all of them = not virtualized);
 * - a colleague typing: frame times and long tasks on the page while another
 *   client types into the article (each remote edit goes through y-tiptap);
 * - the floor: key to paint on a blank page with one editable paragraph, on
 *   the same machine in the same run: what no editor can beat here.
 *
 * Everything is measured twice, in two browsers (--frames vsync|unthrottled
 * to run one): with frames at 60 Hz as on a desktop display, where a key
 * waits up to 16.7 ms for the next frame whatever the page does (the blank
 * page's p95 is a whole frame), and with vsync and the frame-rate limit off
 * (--disable-gpu-vsync --disable-frame-rate-limit), where a frame is made as
 * soon as there is something to show, so key to paint is the work the key
 * causes: input, script, style, layout, paint and raster.
 *
 * Timings are taken inside the page with performance.now(); the harness only
 * presses keys and reads them back. Results go to results/browser.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEST_ADMIN } from '@hashiya/testing'
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core'
import { epochMicros, setClockBase } from './clock.js'
import { buildLargeDocument } from './scenarios.js'
import { round, type Summary, summarize } from './stats.js'
import { startTarget } from './targets.js'

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const WEB_DIST = fileURLToPath(new URL('../../../apps/web/dist/', import.meta.url))
const RESULTS = fileURLToPath(new URL('../results/browser.json', import.meta.url))

function option(argv: string[], name: string, fallback: number): number {
  const index = argv.indexOf(name)
  return index === -1 ? fallback : Number(argv[index + 1])
}

/** How the browser paces frames: see the module comment. */
export type FramePacing = 'vsync' | 'unthrottled'

const PACING_ARGS: Record<FramePacing, string[]> = {
  vsync: [],
  unthrottled: ['--disable-gpu-vsync', '--disable-frame-rate-limit'],
}

async function launch(pacing: FramePacing): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
    )
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      ...PACING_ARGS[pacing],
    ],
  })
}

/** Installs the in-page probes: key-to-paint per keydown, and the first frame showing a new mark. */
async function installProbes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state = {
      keys: [] as number[],
      tags: [] as number[],
      tagPresses: [] as number[],
      /** Set by the harness just before it presses the keys. */
      tagPressed: 0,
      /** The next Ctrl+Alt chord starts a tag. */
      tagArmed: false,
      tagStart: 0,
      knownIds: new Set<string>(),
      recording: false,
    }
    ;(window as unknown as { __bench: typeof state }).__bench = state
    const afterPaint = (done: () => void) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => done()
        channel.port2.postMessage(null)
      })
    document.addEventListener(
      'keydown',
      (event) => {
        // the chord's last key (Control and Alt go down first, each with their own keydown)
        const modifier = ['Control', 'Alt', 'Shift', 'Meta'].includes(event.key)
        if (state.tagArmed && event.ctrlKey && event.altKey && !modifier) {
          state.tagArmed = false
          state.tagStart = event.timeStamp
          return
        }
        if (!state.recording || event.ctrlKey || event.altKey) return
        const start = event.timeStamp
        afterPaint(() => state.keys.push(performance.now() - start))
      },
      true,
    )
    for (const element of document.querySelectorAll('[data-annotation-id]')) {
      state.knownIds.add(element.getAttribute('data-annotation-id') ?? '')
    }
    const editor = document.querySelector('[data-testid="editor"]') ?? document.body
    new MutationObserver((records) => {
      if (state.tagStart === 0) return
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof HTMLElement)) continue
          const marked = node.matches('[data-annotation-id]')
            ? [node]
            : [...node.querySelectorAll('[data-annotation-id]')]
          for (const element of marked) {
            const id = element.getAttribute('data-annotation-id') ?? ''
            if (state.knownIds.has(id)) continue
            state.knownIds.add(id)
            const start = state.tagStart
            const pressed = state.tagPressed
            state.tagStart = 0
            afterPaint(() => {
              const now = performance.now()
              state.tags.push(now - start)
              state.tagPresses.push(now - pressed)
            })
            return
          }
        }
      }
    }).observe(editor, { childList: true, subtree: true })
  })
}

/** Selects `length` characters from `offset` in the n-th paragraph of the editor. */
async function selectInParagraph(page: Page, paragraph: number, offset: number, length: number) {
  await page.evaluate(
    ({ paragraph, offset, length }) => {
      const editor = document.querySelector('[data-testid="editor"]')
      const root = editor?.querySelector('[contenteditable="true"]') ?? editor
      const block = root?.querySelectorAll('p')[paragraph]
      if (!root || !block) throw new Error('no such paragraph')
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT)
      const nodes: Text[] = []
      for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text)
      const locate = (target: number) => {
        let seen = 0
        for (const node of nodes) {
          if (target <= seen + node.data.length) return { node, offset: target - seen }
          seen += node.data.length
        }
        const last = nodes[nodes.length - 1] as Text
        return { node: last, offset: last.data.length }
      }
      const from = locate(offset)
      const to = locate(offset + length)
      const range = document.createRange()
      range.setStart(from.node, from.offset)
      range.setEnd(to.node, to.offset)
      ;(root as HTMLElement).focus()
      const selection = getSelection()
      selection?.removeAllRanges()
      selection?.addRange(range)
      root.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }))
    },
    { paragraph, offset, length },
  )
}

/** Stops the page's CPU profiler and writes what it recorded to `<base>.cpuprofile`. */
async function saveCpuProfile(session: CDPSession, base: string, during: string): Promise<void> {
  const { profile } = await session.send('Profiler.stop')
  writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile))
  process.stderr.write(`  page profile ${during}: ${base}.cpuprofile\n`)
}

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline']

/** A page being profiled (--profile): its DevTools session and its browser (for traces). */
interface Profiling {
  session: CDPSession
  browser: Browser
  page: Page
}

/**
 * Runs `work`, when profiling (--profile) under the page's CPU profiler and a
 * trace (`<base>.cpuprofile`, `<base>.trace.json`): the profile shows the
 * page's script, the trace the browser's own work (style, layout, paint).
 */
async function profiled<T>(
  profiling: Profiling | null,
  base: string,
  during: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!profiling) return work()
  await profiling.session.send('Profiler.start')
  await profiling.browser.startTracing(profiling.page, {
    path: `${base}.trace.json`,
    categories: TRACE_CATEGORIES,
  })
  const result = await work()
  await profiling.browser.stopTracing()
  await saveCpuProfile(profiling.session, base, during)
  return result
}

/**
 * Types into the article and tags spans (see the module comment); each
 * keystroke's and each tag's time from key to paint, and each tag's from the
 * harness's press.
 */
async function typeAndTag(
  page: Page,
  keystrokes: number,
  tags: number,
): Promise<{ keyTimes: number[]; tagTimes: number[]; tagPresses: number[] }> {
  // Typing in the third paragraph, on screen. Latin letters: Playwright types
  // characters outside the US layout as bare text input, with no keydown to
  // time from. The editor's path is the same.
  await selectInParagraph(page, 2, 10, 0)
  await page.evaluate(() => {
    ;(window as unknown as { __bench: { recording: boolean } }).__bench.recording = true
  })
  const letters = 'newsroom text '
  for (let i = 0; i < keystrokes; i++) {
    await page.keyboard.type(letters[i % letters.length] as string)
    await page.waitForTimeout(40)
  }
  await page.waitForTimeout(500)
  const keyTimes = await page.evaluate(
    () => (window as unknown as { __bench: { keys: number[] } }).__bench.keys,
  )

  // Tagging: select a few words, Ctrl+Alt+1, until the new mark is painted.
  for (let i = 0; i < tags; i++) {
    await selectInParagraph(page, 3 + (i % 6), 5 + 7 * Math.floor(i / 6), 6)
    await page.waitForTimeout(100)
    const before = await page.evaluate(
      () => (window as unknown as { __bench: { tags: number[] } }).__bench.tags.length,
    )
    await page.evaluate(() => {
      const bench = (window as unknown as { __bench: { tagArmed: boolean; tagPressed: number } })
        .__bench
      bench.tagArmed = true
      bench.tagPressed = performance.now()
    })
    await page.keyboard.press('Control+Alt+1')
    await page
      .waitForFunction(
        (n) => (window as unknown as { __bench: { tags: number[] } }).__bench.tags.length > n,
        before,
        { timeout: 10_000 },
      )
      .catch(() => {})
    await page.waitForTimeout(150)
  }
  const { tags: tagTimes, tagPresses } = await page.evaluate(
    () => (window as unknown as { __bench: { tags: number[]; tagPresses: number[] } }).__bench,
  )
  return { keyTimes, tagTimes, tagPresses }
}

/** Scrolls the annotation panel to its end, a step per frame; frame intervals in ms. */
async function scrollPanel(page: Page): Promise<{ frames: number[]; entries: number }> {
  return page.evaluate(async () => {
    const list = document.querySelector('.annotation-list')
    let scroller: HTMLElement | null = list as HTMLElement | null
    while (scroller && !(scroller.scrollHeight > scroller.clientHeight + 10)) {
      scroller = scroller.parentElement
    }
    const entries = document.querySelectorAll('[data-testid="annotation-entry"]').length
    if (!scroller) return { frames: [], entries }
    const target = scroller
    const frames: number[] = []
    const step = Math.max(200, Math.ceil(target.scrollHeight / 300))
    await new Promise<void>((done) => {
      let last = performance.now()
      const tick = (now: number) => {
        frames.push(now - last)
        last = now
        if (
          target.scrollTop + target.clientHeight >= target.scrollHeight - 1 ||
          frames.length > 400
        ) {
          done()
          return
        }
        target.scrollTop += step
        requestAnimationFrame(tick)
      }
      requestAnimationFrame((now) => {
        last = now
        target.scrollTop += step
        requestAnimationFrame(tick)
      })
    })
    return { frames, entries }
  })
}

/** A colleague's edits per second while the page is watched (a fast typist's keystrokes). */
const COLLEAGUE_EDITS_PER_SECOND = 8
const COLLEAGUE_TYPING_MS = 6_000

interface RemoteTypingResult {
  editsPerSecond: number
  durationMs: number
  /** Intervals between frames: 16.7 ms when the page keeps up at 60 Hz. */
  frameMs: Summary | null
  framesOver50ms: number
  /** Main-thread tasks over 50 ms (the Long Tasks API), and the longest. */
  longTasks: number
  longestTaskMs: number
  /** Share of the time the main thread spent in long tasks. */
  longTaskShare: number
}

/**
 * What a colleague's typing costs this page: frame intervals and long tasks
 * while `typing` runs. Each remote edit reaches the editor through y-tiptap.
 */
async function watchWhileColleagueTypes(
  page: Page,
  typing: () => Promise<void>,
): Promise<RemoteTypingResult> {
  await page.evaluate(() => {
    const watch = { frames: [] as number[], tasks: [] as number[], running: true }
    ;(window as unknown as { __watch: typeof watch }).__watch = watch
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (watch.running) watch.tasks.push(entry.duration)
    }).observe({ type: 'longtask' })
    let last = performance.now()
    const tick = (now: number) => {
      if (!watch.running) return
      watch.frames.push(now - last)
      last = now
      requestAnimationFrame(tick)
    }
    requestAnimationFrame((now) => {
      last = now
      requestAnimationFrame(tick)
    })
  })
  const started = performance.now()
  await typing()
  const durationMs = performance.now() - started
  await page.waitForTimeout(300)
  const { frames, tasks } = await page.evaluate(() => {
    const watch = (
      window as unknown as { __watch: { frames: number[]; tasks: number[]; running: boolean } }
    ).__watch
    watch.running = false
    return { frames: watch.frames, tasks: watch.tasks }
  })
  const busy = tasks.reduce((sum, task) => sum + task, 0)
  return {
    editsPerSecond: COLLEAGUE_EDITS_PER_SECOND,
    durationMs: round(durationMs, 0),
    frameMs: summarize([Float64Array.from(frames)]),
    framesOver50ms: frames.filter((frame) => frame > 50).length,
    longTasks: tasks.length,
    longestTaskMs: round(Math.max(0, ...tasks), 1),
    longTaskShare: round(busy / (durationMs + 300), 3),
  }
}

/**
 * Key to paint on a blank page holding one editable paragraph, typed like the
 * article: the machine's floor, for reading the editor's numbers against.
 */
async function measureFloor(browser: Browser, keystrokes: number): Promise<Summary | null> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  try {
    await page.setContent(
      '<div contenteditable="true" dir="rtl" style="font-size:20px"><p>هذه فقرة للكتابة فيها</p></div>',
    )
    await page.evaluate(() => {
      const keys: number[] = []
      ;(window as unknown as { __floor: number[] }).__floor = keys
      document.addEventListener(
        'keydown',
        (event) => {
          const start = event.timeStamp
          requestAnimationFrame(() => {
            const channel = new MessageChannel()
            channel.port1.onmessage = () => keys.push(performance.now() - start)
            channel.port2.postMessage(null)
          })
        },
        true,
      )
      const editable = document.querySelector('[contenteditable]') as HTMLElement
      const text = editable.querySelector('p')?.firstChild as Text
      const range = document.createRange()
      range.setStart(text, 3)
      editable.focus()
      getSelection()?.removeAllRanges()
      getSelection()?.addRange(range)
    })
    const letters = 'newsroom text '
    for (let i = 0; i < keystrokes; i++) {
      await page.keyboard.type(letters[i % letters.length] as string)
      await page.waitForTimeout(40)
    }
    await page.waitForTimeout(300)
    const keys = await page.evaluate(() => (window as unknown as { __floor: number[] }).__floor)
    return summarize([Float64Array.from(keys)])
  } finally {
    await page.close()
  }
}

interface SizeResult {
  pacing: FramePacing
  document: { words: number; annotations: number; markElements: number; panelEntries: number }
  /** Navigation to the editor connected with its marks and panel rendered; null if it never got there. */
  openMs: number | null
  openError?: string
  typing: { keystrokes: number; keyToPaintMs: Summary | null }
  tagging: {
    tags: number
    /** From the Ctrl+Alt+1 keydown's timestamp, like typing. */
    keyToPaintMs: Summary | null
    /** From just before the harness presses the keys (how it was first measured). */
    pressToPaintMs?: Summary | null
  }
  panel: {
    entries: number
    virtualized: boolean
    scrollFrames: number
    frameMs: Summary | null
    framesOver50ms: number
  }
  /** The page, untouched, while a colleague types into the first paragraph (on screen). */
  colleagueTyping?: RemoteTypingResult
}

interface PacedBrowser {
  pacing: FramePacing
  browser: Browser
}

/** One document on one server, measured in each browser in turn. */
async function measureSize(
  browsers: PacedBrowser[],
  words: number,
  annotations: number,
  argv: string[],
): Promise<SizeResult[]> {
  const target = await startTarget('ours', { env: { WEB_DIST_DIR: WEB_DIST } })
  try {
    const { documentId, builder } = await buildLargeDocument(target, words, annotations)
    // the builder stays connected: it is the colleague who types while the page is watched
    const colleague = (durationMs: number) =>
      builder.run({
        kind: 'type',
        perSecond: COLLEAGUE_EDITS_PER_SECOND,
        durationMs,
        measureFrom: 0,
        measureUntil: 0,
      })
    const base = target
      .url('x')
      .replace(/^ws/, 'http')
      .replace(/\/sync\/.*$/, '')
    const results: SizeResult[] = []
    try {
      for (const { pacing, browser } of browsers) {
        process.stderr.write(`  frames: ${pacing}\n`)
        results.push(
          await measureInBrowser(
            browser,
            pacing,
            { base, documentId, words, annotations, colleague },
            argv,
          ),
        )
      }
    } finally {
      await builder.close()
    }
    return results
  } finally {
    await target.dispose()
  }
}

async function measureInBrowser(
  browser: Browser,
  pacing: FramePacing,
  {
    base,
    documentId,
    words,
    annotations,
    colleague,
  }: {
    base: string
    documentId: string
    words: number
    annotations: number
    colleague: (durationMs: number) => Promise<void>
  },
  argv: string[],
): Promise<SizeResult> {
  const keystrokes = option(argv, '--keystrokes', 150)
  const tags = option(argv, '--tags', 20)
  const openTimeoutMs = option(argv, '--open-timeout', 300_000)
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1400, height: 900 },
    locale: 'ar',
  })
  try {
    const page = await context.newPage()
    await page.goto('/')
    await page.waitForURL((url) => url.pathname === '/login', { timeout: 20_000 })
    await page.getByTestId('login-username').fill(TEST_ADMIN.username)
    await page.getByTestId('login-password').fill(TEST_ADMIN.password)
    await page.getByTestId('login-submit').click()
    await page.waitForURL((url) => url.pathname !== '/login', { timeout: 20_000 })

    const empty: SizeResult = {
      pacing,
      document: { words, annotations, markElements: 0, panelEntries: 0 },
      openMs: null,
      typing: { keystrokes: 0, keyToPaintMs: null },
      tagging: { tags: 0, keyToPaintMs: null },
      panel: {
        entries: 0,
        virtualized: false,
        scrollFrames: 0,
        frameMs: null,
        framesOver50ms: 0,
      },
    }
    const opened = performance.now()
    try {
      await page.goto(`/d/${documentId}`)
      await page
        .locator('[data-testid="connection-status"][data-state="connected"]')
        .waitFor({ timeout: openTimeoutMs })
      await page.waitForFunction(
        (count) => document.querySelectorAll('[data-testid="annotation-entry"]').length >= count,
        Math.min(annotations, 1),
        { timeout: openTimeoutMs, polling: 200 },
      )
    } catch (error) {
      const state = await page
        .locator('[data-testid="connection-status"]')
        .getAttribute('data-state', { timeout: 5_000 })
        .catch(() => 'unknown')
      empty.openError = `not open after ${Math.round((performance.now() - opened) / 1000)} s (connection status: ${state}): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`
      process.stderr.write(`  ${empty.openError}\n`)
      return empty
    }
    const openMs = performance.now() - opened
    const markElements = await page.locator('[data-annotation-id]').count()
    const panelEntries = await page.locator('[data-testid="annotation-entry"]').count()
    process.stderr.write(
      `  opened in ${Math.round(openMs)} ms: ${markElements} mark elements, ${panelEntries} panel entries\n`,
    )

    await installProbes(page)
    // --profile: a CPU profile and a trace of the page while typing and tagging,
    // while the panel scrolls and while a colleague types.
    const profiling: Profiling | null = argv.includes('--profile')
      ? { session: await context.newCDPSession(page), browser, page }
      : null
    const profileBase = RESULTS.replace(/\.json$/, `-${words}-${pacing}`)
    await profiling?.session.send('Profiler.enable')
    const typedAndTagged = await profiled(profiling, profileBase, 'while typing and tagging', () =>
      typeAndTag(page, keystrokes, tags),
    )
    const { keyTimes, tagTimes, tagPresses } = typedAndTagged
    const panel = await profiled(profiling, `${profileBase}-panel`, 'while the panel scrolls', () =>
      scrollPanel(page),
    )
    const remote = await profiled(
      profiling,
      `${profileBase}-colleague`,
      'while a colleague types',
      () => watchWhileColleagueTypes(page, () => colleague(COLLEAGUE_TYPING_MS)),
    )
    process.stderr.write(
      `  while a colleague types: frame p95 ${remote.frameMs?.p95} ms, longest task ${remote.longestTaskMs} ms\n`,
    )
    return {
      pacing,
      document: { words, annotations, markElements, panelEntries },
      openMs: round(openMs, 0),
      typing: {
        keystrokes: keyTimes.length,
        keyToPaintMs: summarize([Float64Array.from(keyTimes)]),
      },
      tagging: {
        tags: tagTimes.length,
        keyToPaintMs: summarize([Float64Array.from(tagTimes)]),
        pressToPaintMs: summarize([Float64Array.from(tagPresses)]),
      },
      panel: {
        entries: panel.entries,
        virtualized: panel.entries < annotations / 2,
        scrollFrames: panel.frames.length,
        frameMs: summarize([Float64Array.from(panel.frames)]),
        framesOver50ms: panel.frames.filter((f) => f > 50).length,
      },
      colleagueTyping: remote,
    }
  } finally {
    await context.close()
  }
}

function pacingsOf(argv: string[]): FramePacing[] {
  const index = argv.indexOf('--frames')
  if (index === -1) return ['vsync', 'unthrottled']
  const value = argv[index + 1]
  if (value !== 'vsync' && value !== 'unthrottled') {
    throw new Error(`--frames takes vsync or unthrottled, not ${value}`)
  }
  return [value]
}

const PACING_LABEL: Record<FramePacing, string> = {
  vsync: 'frames at 60 Hz',
  unthrottled: 'frames unthrottled: the work a key causes',
}

export async function runBrowserBench(argv: string[]): Promise<void> {
  setClockBase(epochMicros())
  if (!existsSync(`${WEB_DIST}index.html`)) {
    throw new Error(`the web app is not built (${WEB_DIST}); run pnpm build first`)
  }
  // The document, and a fifth of it.
  const sizes: [number, number][] = argv.includes('--words')
    ? [[option(argv, '--words', 100_000), option(argv, '--annotations', 10_000)]]
    : [
        [20_000, 2_000],
        [100_000, 10_000],
      ]
  const browsers: PacedBrowser[] = []
  const runs: SizeResult[] = []
  const floors: { pacing: FramePacing; keyToPaintMs: Summary | null }[] = []
  try {
    for (const pacing of pacingsOf(argv)) {
      const browser = await launch(pacing)
      browsers.push({ pacing, browser })
      const floor = await measureFloor(browser, option(argv, '--keystrokes', 150))
      floors.push({ pacing, keyToPaintMs: floor })
      process.stderr.write(
        `Floor (a blank editable page, ${PACING_LABEL[pacing]}): key to paint p50 ${floor?.p50} ms, p95 ${floor?.p95} ms\n`,
      )
    }
    for (const [words, annotations] of sizes) {
      process.stderr.write(
        `Browser benchmark: ${words.toLocaleString('en')} words, ${annotations.toLocaleString('en')} annotations, Chromium ${browsers[0]?.browser.version()}\n`,
      )
      runs.push(...(await measureSize(browsers, words, annotations, argv)))
    }
  } finally {
    for (const { browser } of browsers) await browser.close()
  }
  const largestWords = Math.max(...runs.map((run) => run.document.words))
  const at = (run: SizeResult | undefined) =>
    run
      ? ` (${run.document.words.toLocaleString('en')} words, ${run.document.annotations.toLocaleString('en')} annotations, ${PACING_LABEL[run.pacing]})`
      : ''
  const floorOf = (pacing: FramePacing) =>
    floors.find((floor) => floor.pacing === pacing)?.keyToPaintMs ?? null
  const goals = browsers.flatMap(({ pacing }) => {
    const ofPacing = runs.filter((run) => run.pacing === pacing)
    const largest = ofPacing.find((run) => run.document.words === largestWords)
    const measured = [...ofPacing].reverse().find((run) => run.openMs !== null)
    const typing = measured?.typing.keyToPaintMs ?? null
    const tagging = measured?.tagging.keyToPaintMs ?? null
    const onLargest = measured !== undefined && measured === largest
    // At 60 Hz a key waits for the next frame whatever the page does (the blank page's p95
    // is a frame), so the 16 ms budget is judged on the work itself, with frames unthrottled.
    const judged = pacing === 'unthrottled'
    return [
      {
        goal: `Large document (100,000 words, 10,000 annotations) opens in the editor (${PACING_LABEL[pacing]})`,
        value: largest?.openMs != null ? `${largest.openMs} ms` : (largest?.openError ?? 'no'),
        met: largest?.openMs != null,
      },
      {
        goal: `Typing: p95 ≤ 16 ms from key to paint (${PACING_LABEL[pacing]})`,
        value: typing
          ? `p95 ${typing.p95} ms${at(measured)}; a blank editable page: p95 ${floorOf(pacing)?.p95 ?? '–'} ms`
          : 'not measured',
        met: judged && typing ? typing.p95 <= 16 && onLargest : null,
      },
      {
        goal: `Tagging a span ≤ 50 ms (${PACING_LABEL[pacing]})`,
        value: tagging
          ? `p50 ${tagging.p50} ms, max ${tagging.max} ms${at(measured)}`
          : 'not measured',
        met: tagging ? tagging.max <= 50 && onLargest : null,
      },
      {
        goal: `Annotation panel smooth with 10,000 entries, virtualized (${PACING_LABEL[pacing]})`,
        value: measured
          ? `${measured.panel.entries} entries in the DOM, scroll frame p95 ${measured.panel.frameMs?.p95 ?? '–'} ms${at(measured)}`
          : 'not measured',
        // Frame intervals only mean smoothness when frames are paced by the display.
        met:
          pacing === 'vsync' && measured
            ? measured.panel.virtualized && (measured.panel.frameMs?.p95 ?? 99) <= 25 && onLargest
            : null,
      },
    ]
  })
  const results = {
    version: 2,
    startedAt: new Date().toISOString(),
    machine: {
      nproc: cpus().length,
      memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      node: process.version,
      chromium: CHROMIUM_PATH,
      note: 'software rendering (--disable-gpu); the server, the harness and Chromium share the cores',
    },
    floors: floors.map(({ pacing, keyToPaintMs }) => ({
      pacing,
      page: 'one editable paragraph, nothing else',
      keyToPaintMs,
    })),
    runs,
    goals,
  }
  mkdirSync(dirname(RESULTS), { recursive: true })
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nResults: ${RESULTS}\n`)
}
