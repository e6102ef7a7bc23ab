/**
 * The scenarios of issue 8, each run against one target server by the same
 * code. Sizes come from `Sizes` (quick, full, smoke).
 */
import { readDemoArticle } from '@hashiya/fixtures'
import { now, sleep } from './clock.js'
import { LoadGenerator, type OpenResult, type Report } from './loadgen.js'
import type { GeneratorPool } from './pool.js'
import { CpuWindow, peakRssBytes, RssSampler, rssBytes } from './proc.js'
import { median, round, type Summary, summarize } from './stats.js'
import { seedFor, type Target, type TargetName, type TargetOptions } from './targets.js'

export interface Sizes {
  label: 'quick' | 'full' | 'smoke'
  warmupMs: number
  durationMs: number
  drainMs: number
  fanout: { observers: number; perSecond: number }
  /** groupSize: at most this many editors share one Y.Doc replica (see loadgen.ts). */
  crunch: { editors: number; perSecond: number; groupSize: number }
  manyDocs: { documents: number; clientsPerDocument: number; perSecond: number }
  joinStorm: { clients: number }
  idle: { connections: number; documents: number; settleMs: number }
  largeDoc: { words: number; annotations: number; coldRuns: number }
  append: { updates: number; writers: number; window: number }
}

export const QUICK: Sizes = {
  label: 'quick',
  warmupMs: 1_000,
  durationMs: 4_000,
  drainMs: 1_000,
  fanout: { observers: 200, perSecond: 50 },
  crunch: { editors: 50, perSecond: 2, groupSize: 1_000 },
  manyDocs: { documents: 100, clientsPerDocument: 5, perSecond: 0.2 },
  joinStorm: { clients: 200 },
  idle: { connections: 2_000, documents: 100, settleMs: 2_000 },
  largeDoc: { words: 20_000, annotations: 2_000, coldRuns: 1 },
  append: { updates: 5_000, writers: 4, window: 256 },
}

export const FULL: Sizes = {
  label: 'full',
  warmupMs: 2_000,
  durationMs: 20_000,
  drainMs: 2_000,
  fanout: { observers: 1_000, perSecond: 50 },
  crunch: { editors: 200, perSecond: 2, groupSize: 1_000 },
  manyDocs: { documents: 1_000, clientsPerDocument: 5, perSecond: 0.2 },
  joinStorm: { clients: 500 },
  idle: { connections: 10_000, documents: 500, settleMs: 5_000 },
  largeDoc: { words: 100_000, annotations: 10_000, coldRuns: 3 },
  append: { updates: 50_000, writers: 4, window: 256 },
}

/** A few seconds in all: for the CI smoke step and the package's test. */
export const SMOKE: Sizes = {
  label: 'smoke',
  warmupMs: 300,
  durationMs: 1_000,
  drainMs: 500,
  fanout: { observers: 10, perSecond: 50 },
  crunch: { editors: 6, perSecond: 2, groupSize: 1_000 },
  manyDocs: { documents: 4, clientsPerDocument: 3, perSecond: 1 },
  joinStorm: { clients: 20 },
  idle: { connections: 40, documents: 4, settleMs: 300 },
  largeDoc: { words: 2_000, annotations: 100, coldRuns: 1 },
  append: { updates: 300, writers: 2, window: 64 },
}

export type Metrics = Record<string, number | string | boolean | Summary | null>

export interface ScenarioContext {
  pool: GeneratorPool
  sizes: Sizes
  log(message: string): void
  /** A scenario that restarts the server hands back the process now running. */
  replaceTarget?(target: Target): void
}

export interface Scenario {
  id: string
  title: string
  /** What the scenario does, with the sizes of this run. */
  describe(sizes: Sizes): string
  /** Server options for this scenario (e.g. log level). */
  serverOptions?(target: TargetName): TargetOptions
  run(target: Target, context: ScenarioContext): Promise<Metrics>
}

const article = readDemoArticle()

function randomClientId(): number {
  return Math.floor(Math.random() * 0xffffffff)
}

function mb(bytes: number): number {
  return round(bytes / (1024 * 1024), 1)
}

/** What every timed scenario reports about the server and the generator. */
class Meter {
  private readonly server: CpuWindow
  private readonly generator = new CpuWindow(process.pid)
  private readonly machine = new CpuWindow(null)
  private readonly rss: RssSampler

  constructor(private readonly target: Target) {
    this.server = new CpuWindow(target.pid)
    this.rss = new RssSampler(target.pid)
  }

  start(): void {
    this.server.start()
    this.generator.start()
    this.machine.start()
    this.rss.start()
  }

  stop(): Metrics {
    const server = this.server.stop()
    const generator = this.generator.stop()
    const machine = this.machine.stop()
    this.rss.stop()
    return {
      serverCpuCores: round(server.cores, 2),
      generatorCpuCores: round(generator.cores, 2),
      // Whatever else ran on the machine meanwhile (other builds, tests): noise to know about.
      otherCpuCores: round(Math.max(0, machine.cores - server.cores - generator.cores), 2),
      // Sampled while the scenario ran; VmHWM also counts start-up (our scrypt
      // password hashing for the admin account peaks there).
      serverPeakRssMB: mb(this.rss.peak),
      serverRssMB: mb(this.rss.last),
      serverLifetimePeakRssMB: mb(peakRssBytes(this.target.pid)),
    }
  }
}

function combine(reports: Report[]): {
  latency: Summary | null
  ack: Summary | null
  sent: number
  delivered: number
  elu: number
  closedUnexpectedly: number
} {
  return {
    latency: summarize(reports.map((r) => r.latencies)),
    ack: summarize(reports.map((r) => r.acks)),
    sent: reports.reduce((sum, r) => sum + r.sent, 0),
    delivered: reports.reduce((sum, r) => sum + r.delivered, 0),
    elu: Math.max(...reports.map((r) => r.elu)),
    closedUnexpectedly: reports.reduce((sum, r) => sum + r.closedUnexpectedly, 0),
  }
}

function checkOpened(results: OpenResult[], what: string): number {
  const failed = results.reduce((sum, r) => sum + r.failed, 0)
  if (failed > 0) {
    const errors = results.flatMap((r) => r.errors).slice(0, 3)
    throw new Error(`${failed} ${what} could not connect: ${errors.join('; ')}`)
  }
  return results.reduce((sum, r) => sum + r.opened, 0)
}

/**
 * A fresh client syncs the document and compares it with what an editor
 * group holds: same text, same number of annotations (ours and stock; the raw
 * relay holds no state).
 */
async function converged(
  target: Target,
  context: ScenarioContext,
  documentId: string,
  threadIndex: number,
  groupId: string,
): Promise<boolean | string> {
  if (target.name === 'raw') return 'n/a'
  const reference = await context.pool.thread(threadIndex).contents(groupId)
  const verifier = new LoadGenerator()
  try {
    await verifier.open({
      groups: [
        {
          id: 'verify',
          url: target.url(documentId),
          members: [{ author: 999_999, clientID: randomClientId() }],
        },
      ],
    })
    const seen = verifier.contents('verify')
    return (
      reference !== null &&
      seen !== null &&
      seen.text === reference.text &&
      seen.annotations === reference.annotations
    )
  } finally {
    await verifier.close()
  }
}

/**
 * Runs editors for warmup + duration, measures the server over the measured
 * part, waits for stragglers and gathers every thread's report.
 */
async function timedRun(
  target: Target,
  context: ScenarioContext,
  plan: { kind: 'type' | 'type-and-tag'; perSecond: number; groupsByThread: string[][] },
  receiversPerEdit: number,
): Promise<Metrics> {
  const { sizes, pool } = context
  const meter = new Meter(target)
  const measureFrom = now() + sizes.warmupMs * 1000
  const measureUntil = measureFrom + sizes.durationMs * 1000
  const runs = pool.threads.map((thread, index) =>
    thread.run({
      kind: plan.kind,
      perSecond: plan.perSecond,
      durationMs: sizes.warmupMs + sizes.durationMs,
      measureFrom,
      measureUntil,
      groups: plan.groupsByThread[index] ?? [],
    }),
  )
  await sleep(sizes.warmupMs)
  meter.start()
  await Promise.all(runs)
  const server = meter.stop()
  await sleep(sizes.drainMs)
  const combined = combine(await context.pool.reports())
  const seconds = sizes.durationMs / 1000
  const expected = combined.sent * receiversPerEdit
  return {
    latencyMs: combined.latency,
    ackLatencyMs: combined.ack,
    editsPerSecond: round(combined.sent / seconds, 1),
    deliveriesPerSecond: round(combined.delivered / seconds, 0),
    deliveredShare: expected > 0 ? round(combined.delivered / expected, 4) : null,
    ...server,
    diskMB: mb(target.diskBytes()),
    generatorMaxEventLoopUtilization: round(combined.elu, 2),
    disconnected: combined.closedUnexpectedly,
  }
}

export const fanout: Scenario = {
  id: 'fanout',
  title: 'Fan-out',
  describe: (s) =>
    `1 writer typing into the demo article at ${s.fanout.perSecond} updates/s, ${s.fanout.observers} observers on the same document`,
  async run(target, context) {
    const { pool, sizes } = context
    const documentId = target.demoDocument()
    const seed = target.clientsSeed ? seedFor('demo', article.paragraphs) : null
    checkOpened(
      [
        await pool.thread(0).open({
          groups: [
            {
              id: 'writer',
              url: target.url(documentId),
              members: [{ author: 0, clientID: randomClientId() }],
              seed,
            },
          ],
        }),
      ],
      'writer',
    )
    const observers = sizes.fanout.observers
    const opened = await Promise.all(
      pool.threads.map((thread, index) => {
        const count = Math.floor(observers / pool.size) + (index < observers % pool.size ? 1 : 0)
        return thread.open({
          leans: Array.from({ length: count }, () => ({ url: target.url(documentId) })),
          concurrency: 50,
        })
      }),
    )
    checkOpened(opened, 'observers')
    const metrics = await timedRun(
      target,
      context,
      { kind: 'type', perSecond: sizes.fanout.perSecond, groupsByThread: [['writer']] },
      observers,
    )
    metrics.converged = await converged(target, context, documentId, 0, 'writer')
    return metrics
  },
}

export const crunch: Scenario = {
  id: 'crunch',
  title: 'Crunch',
  describe: (s) =>
    `${s.crunch.editors} editors on the demo article, each alternating typing and tagging (mark + Y.Map entry) at ${s.crunch.perSecond} actions/s`,
  async run(target, context) {
    const { pool, sizes } = context
    const documentId = target.demoDocument()
    const seed = target.clientsSeed ? seedFor('demo', article.paragraphs) : null
    // One group (one shared replica) per generator thread: the replicas' work is
    // the generator's, not the server's, and it is what limits the generator.
    const { editors } = sizes.crunch
    const groupSize = Math.min(sizes.crunch.groupSize, Math.ceil(editors / pool.size))
    const groupsByThread: string[][] = pool.threads.map(() => [])
    const specs = pool.threads.map(() => [] as Parameters<LoadGenerator['open']>[0]['groups'] & {})
    for (let first = 0, g = 0; first < editors; first += groupSize, g++) {
      const thread = g % pool.size
      const id = `crunch-${g}`
      groupsByThread[thread]?.push(id)
      specs[thread]?.push({
        id,
        url: target.url(documentId),
        seed,
        members: Array.from({ length: Math.min(groupSize, editors - first) }, (_, i) => ({
          author: first + i,
          clientID: randomClientId(),
        })),
      })
    }
    // The first group alone first: on servers without a store it brings the article.
    const [firstThread] = specs
    const firstGroup = firstThread?.shift()
    if (firstGroup) checkOpened([await pool.thread(0).open({ groups: [firstGroup] })], 'editors')
    checkOpened(
      await Promise.all(
        pool.threads.map((thread, i) => thread.open({ groups: specs[i] ?? [], concurrency: 8 })),
      ),
      'editors',
    )
    const metrics = await timedRun(
      target,
      context,
      { kind: 'type-and-tag', perSecond: sizes.crunch.perSecond, groupsByThread },
      editors - 1,
    )
    metrics.converged = await converged(target, context, documentId, 0, 'crunch-0')
    return metrics
  },
}

export const manyDocuments: Scenario = {
  id: 'many-documents',
  title: 'Many documents',
  describe: (s) =>
    `${s.manyDocs.documents} documents (the demo article each) × ${s.manyDocs.clientsPerDocument} clients, every client typing at ${s.manyDocs.perSecond} updates/s`,
  async run(target, context) {
    const { pool, sizes } = context
    const { documents, clientsPerDocument, perSecond } = sizes.manyDocs
    const ids = await target.createDocuments('many', documents, article.paragraphs)
    const seed = target.clientsSeed ? seedFor('demo', article.paragraphs) : null
    const groupsByThread: string[][] = pool.threads.map(() => [])
    const specs = pool.threads.map(() => [] as Parameters<LoadGenerator['open']>[0]['groups'] & {})
    ids.forEach((documentId, d) => {
      const thread = d % pool.size
      groupsByThread[thread]?.push(`doc-${d}`)
      specs[thread]?.push({
        id: `doc-${d}`,
        url: target.url(documentId),
        seed,
        members: Array.from({ length: clientsPerDocument }, (_, i) => ({
          author: d * clientsPerDocument + i,
          clientID: randomClientId(),
        })),
      })
    })
    checkOpened(
      await Promise.all(
        pool.threads.map((thread, i) => thread.open({ groups: specs[i] ?? [], concurrency: 16 })),
      ),
      'clients',
    )
    const metrics = await timedRun(
      target,
      context,
      { kind: 'type', perSecond, groupsByThread },
      clientsPerDocument - 1,
    )
    metrics.converged = await converged(target, context, ids[0] as string, 0, 'doc-0')
    return metrics
  },
}

export const joinStorm: Scenario = {
  id: 'join-storm',
  title: 'Join storm',
  describe: (s) =>
    `${s.joinStorm.clients} clients open the same cold document (the demo article) at once`,
  // "Loaded from storage once" is read from our server's own log line.
  serverOptions: (name) => (name === 'ours' ? { env: { LOG_LEVEL: 'info' } } : {}),
  async run(target, context) {
    const { pool, sizes } = context
    const [documentId] = await target.createDocuments('storm', 1, article.paragraphs)
    if (!documentId) throw new Error('no document')
    if (target.clientsSeed) {
      // Nothing to load from: a client brings the content first (the room is then warm).
      checkOpened(
        [
          await pool.thread(0).open({
            groups: [
              {
                id: 'seeder',
                url: target.url(documentId),
                members: [{ author: 0, clientID: randomClientId() }],
                seed: seedFor('demo', article.paragraphs),
              },
            ],
          }),
        ],
        'seeder',
      )
    }
    const meter = new Meter(target)
    meter.start()
    const startAt = now()
    const clients = sizes.joinStorm.clients
    const results = await Promise.all(
      pool.threads.map((thread, index) => {
        const count = Math.floor(clients / pool.size) + (index < clients % pool.size ? 1 : 0)
        return thread.open({
          leans: Array.from({ length: count }, () => ({ url: target.url(documentId) })),
          concurrency: Number.POSITIVE_INFINITY,
          startAt,
          timeoutMs: 30_000,
        })
      }),
    )
    const server = meter.stop()
    const failed = results.reduce((sum, r) => sum + r.failed, 0)
    const sync = summarize(results.map((r) => r.syncMs))
    const loads =
      target.name === 'ours'
        ? (target.output().match(/"msg":"document loaded"/g) ?? []).length
        : 'n/a'
    return {
      syncMs: sync,
      allSyncedMs: sync ? sync.max : null,
      synced: sync ? sync.count : 0,
      failed,
      documentLoads: loads,
      ...server,
      diskMB: mb(target.diskBytes()),
    }
  },
}

/** The memory probe every server gets in the idle scenario (see memory-probe.ts). */
const MEMORY_PROBE = new URL('./memory-probe.js', import.meta.url).href

interface MemoryUsage {
  rss: number
  heapUsed: number
  external: number
}

/** Asks the server (preloaded with memory-probe.js) to collect garbage and report its memory. */
async function probeMemory(target: Target): Promise<MemoryUsage> {
  const pattern = /BENCH_MEMORY (\{[^\n]*\})/g
  const seen = (target.output().match(pattern) ?? []).length
  process.kill(target.pid, 'SIGUSR2')
  const deadline = Date.now() + 15_000
  for (;;) {
    const found = target.output().match(pattern) ?? []
    if (found.length > seen) {
      return JSON.parse((found[found.length - 1] as string).slice('BENCH_MEMORY '.length))
    }
    if (Date.now() > deadline) throw new Error('the server did not report its memory')
    await sleep(20)
  }
}

export const idle: Scenario = {
  id: 'idle',
  title: 'Idle connections',
  describe: (s) =>
    `${s.idle.connections} idle connections over ${s.idle.documents} documents (the article's first 5 paragraphs each); memory after a forced full GC`,
  serverOptions: () => ({ env: { NODE_OPTIONS: `--import=${MEMORY_PROBE}` } }),
  async run(target, context) {
    const { pool, sizes } = context
    const { connections, documents, settleMs } = sizes.idle
    const paragraphs = article.paragraphs.slice(0, 5)
    const ids = await target.createDocuments('idle', documents, paragraphs)
    const seed = target.clientsSeed ? seedFor('idle', paragraphs) : null
    const rss = new RssSampler(target.pid)
    await sleep(settleMs)
    const before = await probeMemory(target)
    // Phase 1: one client per document, so every document is loaded.
    checkOpened(
      await Promise.all(
        pool.threads.map((thread, t) =>
          thread.open({
            groups: ids
              .map((documentId, d) => ({ documentId, d }))
              .filter(({ d }) => d % pool.size === t)
              .map(({ documentId, d }) => ({
                id: `idle-${d}`,
                url: target.url(documentId),
                seed,
                members: [{ author: d, clientID: randomClientId() }],
              })),
            concurrency: 32,
          }),
        ),
      ),
      'first clients',
    )
    await sleep(settleMs)
    const loadedNoGc = rss.sample()
    const loaded = await probeMemory(target)
    // Phase 2: the rest, spread evenly over the documents.
    const extra = connections - documents
    checkOpened(
      await Promise.all(
        pool.threads.map((thread, t) =>
          thread.open({
            leans: Array.from({ length: extra }, (_, i) => i)
              .filter((i) => i % pool.size === t)
              .map((i) => ({ url: target.url(ids[i % documents] as string) })),
            concurrency: 64,
          }),
        ),
      ),
      'idle clients',
    )
    await sleep(settleMs)
    const connectedNoGc = rss.sample()
    const connected = await probeMemory(target)
    await sleep(500)
    const afterGc = rss.sample()
    const kb = (bytes: number) => round(bytes / extra / 1024, 2)
    return {
      connections,
      perConnectionKB: kb(connected.rss - loaded.rss),
      heapPerConnectionKB: kb(
        connected.heapUsed + connected.external - (loaded.heapUsed + loaded.external),
      ),
      noGcPerConnectionKB: kb(connectedNoGc - loadedNoGc),
      grossPerConnectionKB: round((connected.rss - before.rss) / connections / 1024, 2),
      rssBeforeMB: mb(before.rss),
      rssDocumentsLoadedMB: mb(loaded.rss),
      rssConnectedMB: mb(connected.rss),
      rssSettledMB: mb(afterGc),
      heapConnectedMB: mb(connected.heapUsed),
      serverPeakRssMB: mb(rss.peak),
      serverLifetimePeakRssMB: mb(peakRssBytes(target.pid)),
      diskMB: mb(target.diskBytes()),
    }
  },
}

/** The demo article repeated until it has `words` words. */
export function largeArticle(words: number): string[] {
  const paragraphs: string[] = []
  let count = 0
  while (count < words) {
    for (const paragraph of article.paragraphs) {
      paragraphs.push(paragraph)
      count += paragraph.split(/\s+/).filter(Boolean).length
      if (count >= words) break
    }
  }
  return paragraphs
}

export const largeDocument: Scenario = {
  id: 'large-document',
  title: 'Large document',
  describe: (s) =>
    `${s.largeDoc.words.toLocaleString('en')} words (the demo article repeated) with ${s.largeDoc.annotations.toLocaleString('en')} annotations: a fresh client's first sync, on a cold server process (ours) and warm`,
  async run(target, context): Promise<Metrics> {
    const { sizes } = context
    if (target.name === 'raw') {
      return { coldFirstSyncMs: 'n/a (the relay holds no document)' }
    }
    const built = performance.now()
    const { documentId, builder } = await buildLargeDocument(
      target,
      sizes.largeDoc.words,
      sizes.largeDoc.annotations,
    )
    context.log(`  built in ${Math.round(performance.now() - built)} ms`)
    let current = target
    try {
      if (target.name === 'stock') {
        // No store: the document lives while a client holds it. Sync is warm.
        const warm = await firstSyncs(target, documentId, 3)
        return {
          coldFirstSyncMs: 'n/a (no store)',
          warmFirstSyncMs: warm.syncMs,
          stateMB: mb(warm.bytes),
          serverRssMB: mb(rssBytes(target.pid)),
          serverLifetimePeakRssMB: mb(peakRssBytes(target.pid)),
          diskMB: 0,
        }
      }
    } finally {
      await builder.close()
    }
    const cold: number[] = []
    const coldFirstFrame: number[] = []
    let bytes = 0
    for (let i = 0; i < sizes.largeDoc.coldRuns; i++) {
      const restart = current.restart
      if (!restart) throw new Error('cannot restart')
      current = await restart.call(current)
      context.replaceTarget?.(current)
      const first = await firstSyncs(current, documentId, 1)
      cold.push(first.syncMs.p50)
      coldFirstFrame.push(first.firstFrameMs.p50)
      bytes = first.bytes
    }
    const warm = await firstSyncs(current, documentId, 3)
    return {
      coldFirstSyncMs: median(cold),
      coldLoadMs: median(coldFirstFrame),
      coldRuns: cold.length,
      warmFirstSyncMs: warm.syncMs,
      stateMB: mb(bytes),
      serverRssMB: mb(rssBytes(current.pid)),
      serverLifetimePeakRssMB: mb(peakRssBytes(current.pid)),
      diskMB: mb(current.diskBytes()),
    }
  },
}

/**
 * Creates the large document on a server: the article through the API (ours)
 * or brought by the client (stock), then the annotations tagged over the
 * WebSocket as an editor would, each batch echoed (stored) before the next.
 * The returned client is still connected (the stock server forgets a
 * document when its last client leaves); close it when done.
 */
export async function buildLargeDocument(
  target: Target,
  words: number,
  annotations: number,
): Promise<{ documentId: string; builder: LoadGenerator }> {
  const paragraphs = largeArticle(words)
  const [documentId] = await target.createDocuments('large', 1, paragraphs)
  if (!documentId) throw new Error('no document')
  const builder = new LoadGenerator()
  try {
    await builder.open({
      groups: [
        {
          id: 'large',
          url: target.url(documentId),
          members: [{ author: 0, clientID: randomClientId() }],
          seed: target.clientsSeed ? seedFor(`large-${words}`, paragraphs) : null,
        },
      ],
    })
    await builder.annotate('large', annotations, 1_000)
  } catch (error) {
    await builder.close()
    throw error
  }
  return { documentId, builder }
}

/** `count` fresh clients, one after another: each one's connect → sync step 2. */
async function firstSyncs(
  target: Target,
  documentId: string,
  count: number,
): Promise<{ syncMs: Summary; firstFrameMs: Summary; bytes: number }> {
  const syncMs: Float64Array[] = []
  const firstFrameMs: Float64Array[] = []
  let bytes = 0
  for (let i = 0; i < count; i++) {
    const client = new LoadGenerator()
    try {
      const result = await client.open({ leans: [{ url: target.url(documentId) }] })
      checkOpened([result], 'client')
      syncMs.push(result.syncMs)
      firstFrameMs.push(result.firstFrameMs)
      bytes = client.report().bytesReceived
    } finally {
      await client.close()
    }
  }
  return {
    syncMs: summarize(syncMs) as Summary,
    firstFrameMs: summarize(firstFrameMs) as Summary,
    bytes,
  }
}

export const durableAppend: Scenario = {
  id: 'append',
  title: 'Durable append',
  describe: (s) =>
    `${s.append.updates.toLocaleString('en')} typing updates into one document from ${s.append.writers} writers, at most ${s.append.window} unconfirmed at once; rate = updates seen by an observer per second (ours: each one stored first)`,
  async run(target, context) {
    const { sizes, pool } = context
    const paragraphs = article.paragraphs.slice(0, 5)
    const [documentId] = await target.createDocuments('append', 1, paragraphs)
    if (!documentId) throw new Error('no document')
    const thread = pool.thread(0)
    checkOpened(
      [
        await thread.open({
          groups: [
            {
              id: 'append',
              applyRemote: false,
              url: target.url(documentId),
              seed: target.clientsSeed ? seedFor('idle', paragraphs) : null,
              members: Array.from({ length: sizes.append.writers }, (_, i) => ({
                author: i,
                clientID: randomClientId(),
              })),
            },
          ],
          leans: [{ url: target.url(documentId) }],
        }),
      ],
      'clients',
    )
    const meter = new Meter(target)
    meter.start()
    const result = await thread.append({
      group: 'append',
      count: sizes.append.updates,
      window: sizes.append.window,
    })
    const server = meter.stop()
    const report = (await pool.reports())[0] as Report
    return {
      updatesPerSecond: round(result.delivered / (result.elapsedMs / 1000), 0),
      updates: result.delivered,
      elapsedMs: round(result.elapsedMs, 0),
      latencyMs: summarize([report.latencies]),
      ...server,
      diskMB: mb(target.diskBytes()),
      converged: await converged(target, context, documentId, 0, 'append'),
    }
  },
}

export const SCENARIOS: readonly Scenario[] = [
  fanout,
  crunch,
  manyDocuments,
  joinStorm,
  idle,
  largeDocument,
  durableAppend,
]
