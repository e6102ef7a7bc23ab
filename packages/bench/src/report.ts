/**
 * Results: the JSON written after a run, the table printed to the terminal
 * (and pasted into BENCHMARKS.md), the issue's targets checked against the
 * numbers, and a chart drawn from the JSON as an SVG.
 */
import type { Metrics } from './scenarios.js'
import { TARGETS, type TargetName } from './targets.js'

export interface ScenarioResult {
  id: string
  title: string
  description: string
  /** Each server's metrics: with several rounds (--repeat), the medians of the rounds. */
  results: Partial<Record<TargetName, Metrics | { error: string }>>
  /** Every round, in order, when there were several. */
  rounds?: Partial<Record<TargetName, (Metrics | { error: string })[]>>
}

export interface GoalResult {
  goal: string
  value: string
  met: boolean | null
  note?: string
}

export interface BenchResults {
  version: 1
  mode: 'quick' | 'full' | 'smoke'
  /** Rounds of each scenario (absent in results from before --repeat: one). */
  repeat?: number
  startedAt: string
  durationSeconds: number
  machine: {
    nproc: number
    cpuModel: string
    memoryGB: number
    node: string
    kernel: string
  }
  generator: { threads: number; note: string }
  targets: Record<TargetName, string>
  scenarios: ScenarioResult[]
  goals: GoalResult[]
}

/** A number from a metric path such as `latencyMs.p99`; null when absent or not a number. */
export function metric(
  metrics: Metrics | { error: string } | undefined,
  path: string,
): number | null {
  if (!metrics || 'error' in metrics) return null
  let value: unknown = metrics
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return null
    value = (value as Record<string, unknown>)[key]
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

interface Row {
  scenario: string
  label: string
  path: string
  unit: string
  /** Whether a larger value is better (throughput) or worse (latency, memory). */
  higherIsBetter?: boolean
  /** Context, not a result: no ratios. */
  noRatio?: boolean
}

/** The rows of the summary table, also the panels of the chart. */
export const ROWS: readonly Row[] = [
  { scenario: 'fanout', label: 'latency p50', path: 'latencyMs.p50', unit: 'ms' },
  { scenario: 'fanout', label: 'latency p99', path: 'latencyMs.p99', unit: 'ms' },
  {
    scenario: 'fanout',
    label: 'deliveries/s',
    path: 'deliveriesPerSecond',
    unit: '/s',
    higherIsBetter: true,
  },
  { scenario: 'fanout', label: 'server CPU', path: 'serverCpuCores', unit: 'cores' },
  { scenario: 'fanout', label: 'server peak RSS', path: 'serverPeakRssMB', unit: 'MB' },
  {
    scenario: 'fanout',
    label: 'other processes on the machine (noise)',
    path: 'otherCpuCores',
    unit: 'cores',
    noRatio: true,
  },
  { scenario: 'crunch', label: 'latency p50', path: 'latencyMs.p50', unit: 'ms' },
  { scenario: 'crunch', label: 'latency p99', path: 'latencyMs.p99', unit: 'ms' },
  {
    scenario: 'crunch',
    label: 'deliveries/s',
    path: 'deliveriesPerSecond',
    unit: '/s',
    higherIsBetter: true,
  },
  {
    scenario: 'crunch',
    label: 'share of edits delivered',
    path: 'deliveredShare',
    unit: '0–1',
    higherIsBetter: true,
  },
  { scenario: 'crunch', label: 'server CPU', path: 'serverCpuCores', unit: 'cores' },
  { scenario: 'crunch', label: 'server peak RSS', path: 'serverPeakRssMB', unit: 'MB' },
  { scenario: 'crunch', label: 'disk', path: 'diskMB', unit: 'MB' },
  {
    scenario: 'crunch',
    label: 'other processes on the machine (noise)',
    path: 'otherCpuCores',
    unit: 'cores',
    noRatio: true,
  },
  { scenario: 'many-documents', label: 'latency p50', path: 'latencyMs.p50', unit: 'ms' },
  { scenario: 'many-documents', label: 'latency p99', path: 'latencyMs.p99', unit: 'ms' },
  { scenario: 'many-documents', label: 'server CPU', path: 'serverCpuCores', unit: 'cores' },
  { scenario: 'many-documents', label: 'server peak RSS', path: 'serverPeakRssMB', unit: 'MB' },
  { scenario: 'many-documents', label: 'disk', path: 'diskMB', unit: 'MB' },
  {
    scenario: 'many-documents',
    label: 'other processes on the machine (noise)',
    path: 'otherCpuCores',
    unit: 'cores',
    noRatio: true,
  },
  { scenario: 'join-storm', label: 'all synced', path: 'allSyncedMs', unit: 'ms' },
  { scenario: 'join-storm', label: 'sync p50', path: 'syncMs.p50', unit: 'ms' },
  { scenario: 'join-storm', label: 'server CPU', path: 'serverCpuCores', unit: 'cores' },
  {
    scenario: 'join-storm',
    label: 'other processes on the machine (noise)',
    path: 'otherCpuCores',
    unit: 'cores',
    noRatio: true,
  },
  { scenario: 'idle', label: 'memory per connection', path: 'perConnectionKB', unit: 'KB' },
  {
    scenario: 'idle',
    label: 'JS heap + external per connection',
    path: 'heapPerConnectionKB',
    unit: 'KB',
  },
  { scenario: 'idle', label: 'server RSS, all connected', path: 'rssConnectedMB', unit: 'MB' },
  {
    scenario: 'large-document',
    label: 'cold load + first sync',
    path: 'coldFirstSyncMs',
    unit: 'ms',
  },
  {
    scenario: 'large-document',
    label: 'warm first sync p50',
    path: 'warmFirstSyncMs.p50',
    unit: 'ms',
  },
  { scenario: 'large-document', label: 'server RSS after sync', path: 'serverRssMB', unit: 'MB' },
  {
    scenario: 'append',
    label: 'updates/s',
    path: 'updatesPerSecond',
    unit: '/s',
    higherIsBetter: true,
  },
  { scenario: 'append', label: 'server CPU', path: 'serverCpuCores', unit: 'cores' },
  {
    scenario: 'append',
    label: 'other processes on the machine (noise)',
    path: 'otherCpuCores',
    unit: 'cores',
    noRatio: true,
  },
]

/** The panels of the chart: one per scenario's headline number. */
const CHART_PANELS: readonly Row[] = ROWS.filter((row) =>
  [
    'fanout:latencyMs.p99',
    'crunch:latencyMs.p99',
    'many-documents:latencyMs.p99',
    'join-storm:allSyncedMs',
    'idle:perConnectionKB',
    'large-document:warmFirstSyncMs.p50',
    'append:updatesPerSecond',
    'crunch:serverCpuCores',
  ].includes(`${row.scenario}:${row.path}`),
)

function format(value: number | null): string {
  if (value === null) return '–'
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en')
  if (Math.abs(value) >= 100) return value.toFixed(0)
  if (Math.abs(value) >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

function ratio(a: number | null, b: number | null): string {
  if (a === null || b === null || b === 0) return '–'
  return `${(a / b).toFixed(2)}×`
}

/** The summary as a Markdown table: one row per metric, ratios ours/stock and ours/raw. */
export function markdownTable(results: BenchResults): string {
  const lines = [
    '| scenario | metric | ours | stock | raw | ours/stock | ours/raw |',
    '|---|---|--:|--:|--:|--:|--:|',
  ]
  for (const row of ROWS) {
    const scenario = results.scenarios.find((s) => s.id === row.scenario)
    if (!scenario) continue
    const values = TARGETS.map((t) => metric(scenario.results[t], row.path))
    if (values.every((v) => v === null)) continue
    const [ours, stock, raw] = values as [number | null, number | null, number | null]
    const better = row.higherIsBetter ? ' ↑' : ''
    const ratios = row.noRatio ? ['', ''] : [ratio(ours, stock), ratio(ours, raw)]
    lines.push(
      `| ${scenario.title} | ${row.label} (${row.unit})${better} | ${format(ours)} | ${format(stock)} | ${format(raw)} | ${ratios[0]} | ${ratios[1]} |`,
    )
  }
  return roundsCaption(results) + lines.join('\n')
}

export function goalsTable(results: BenchResults): string {
  const lines = ['| target (issue 8) | measured | met |', '|---|---|---|']
  for (const goal of results.goals) {
    const met = goal.met === null ? 'n/a' : goal.met ? '**met**' : '**missed**'
    lines.push(`| ${goal.goal} | ${goal.value}${goal.note ? ` (${goal.note})` : ''} | ${met} |`)
  }
  return lines.join('\n')
}

/** Plain-text table for the terminal. */
export function terminalTable(results: BenchResults): string {
  const rows: string[][] = [
    ['scenario', 'metric', 'ours', 'stock', 'raw', 'ours/stock', 'ours/raw'],
  ]
  for (const row of ROWS) {
    const scenario = results.scenarios.find((s) => s.id === row.scenario)
    if (!scenario) continue
    const values = TARGETS.map((t) => metric(scenario.results[t], row.path))
    if (values.every((v) => v === null)) continue
    const [ours, stock, raw] = values as [number | null, number | null, number | null]
    rows.push([
      scenario.title,
      `${row.label} (${row.unit})${row.higherIsBetter ? ' ↑' : ''}`,
      format(ours),
      format(stock),
      format(raw),
      row.noRatio ? '' : ratio(ours, stock),
      row.noRatio ? '' : ratio(ours, raw),
    ])
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return (
    roundsCaption(results) +
    rows
      .map((r) =>
        r
          .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
          .join('  '),
      )
      .join('\n')
  )
}

/**
 * With several rounds: that the values are medians, and in how many rounds
 * ours was no worse than the stock server (round i of one against round i of
 * the other: they ran next to each other).
 */
function pairedRounds(results: BenchResults, scenarioId: string, path: string): string {
  const rounds = results.scenarios.find((s) => s.id === scenarioId)?.rounds
  const ours = rounds?.ours ?? []
  const stock = rounds?.stock ?? []
  const pairs = Math.min(ours.length, stock.length)
  if (pairs < 2) return ''
  let noWorse = 0
  for (let i = 0; i < pairs; i++) {
    const a = metric(ours[i], path)
    const b = metric(stock[i], path)
    if (a !== null && b !== null && a <= b) noWorse++
  }
  return ` (medians of ${pairs} rounds; ours no worse in ${noWorse} of ${pairs})`
}

/** A line saying the table holds medians, when it does. */
function roundsCaption(results: BenchResults): string {
  const repeat = results.repeat ?? 1
  return repeat > 1
    ? `Each value is the median of ${repeat} rounds (the servers in alternating order); the JSON holds every round.\n\n`
    : ''
}

/** The issue's targets, checked against this run (at this run's scale). */
export function evaluateGoals(results: BenchResults): GoalResult[] {
  const find = (id: string, target: TargetName = 'ours') =>
    results.scenarios.find((s) => s.id === id)?.results[target]
  const goals: GoalResult[] = []
  const scale = results.mode === 'full' ? '' : ` at ${results.mode} scale`
  const check = (
    goal: string,
    value: number | null,
    ok: (v: number) => boolean,
    unit: string,
    note?: string,
  ) => {
    goals.push({
      goal,
      value: value === null ? 'not measured' : `${format(value)} ${unit}${scale}`,
      met: value === null ? null : ok(value),
      ...(note ? { note } : {}),
    })
  }
  check(
    'Fan-out: p99 ≤ 50 ms to 1,000 observers',
    metric(find('fanout'), 'latencyMs.p99'),
    (v) => v <= 50,
    'ms',
  )
  const oursFan = metric(find('fanout'), 'latencyMs.p99')
  const stockFan = metric(find('fanout', 'stock'), 'latencyMs.p99')
  goals.push({
    goal: "Fan-out: our p99 no worse than the stock server's, while persisting every update",
    value:
      oursFan === null || stockFan === null
        ? 'not measured'
        : `ours ${format(oursFan)} ms vs stock ${format(stockFan)} ms${scale}${pairedRounds(results, 'fanout', 'latencyMs.p99')}`,
    met: oursFan === null || stockFan === null ? null : oursFan <= stockFan,
  })
  check(
    'Crunch: p99 ≤ 30 ms with 200 editors',
    metric(find('crunch'), 'latencyMs.p99'),
    (v) => v <= 30,
    'ms',
  )
  check(
    'Crunch: server below one core',
    metric(find('crunch'), 'serverCpuCores'),
    (v) => v < 1,
    'cores',
  )
  check(
    'Idle: ≤ 5 KB of server memory per idle connection',
    metric(find('idle'), 'perConnectionKB'),
    (v) => v <= 5,
    'KB',
  )
  check(
    'Join storm: all 500 clients synced within 2 s',
    metric(find('join-storm'), 'allSyncedMs'),
    (v) => v <= 2000,
    'ms',
  )
  check(
    'Join storm: the document loaded from storage once',
    metric(find('join-storm'), 'documentLoads'),
    (v) => v === 1,
    'load(s)',
    "counted from the server's 'document loaded' log lines",
  )
  goals.push({
    goal: 'Join storm: the full-state encoding computed once per burst',
    value: 'see BENCHMARKS.md (code path + CPU profile; not observable from outside)',
    met: null,
  })
  check(
    'Large document: cold load and first sync ≤ 500 ms',
    metric(find('large-document'), 'coldFirstSyncMs'),
    (v) => v <= 500,
    'ms',
    'measured at the client: connect → sync step 2 received, fresh server process',
  )
  check(
    'Durable writes: ≥ 5,000 updates/s appended to one document',
    metric(find('append'), 'updatesPerSecond'),
    (v) => v >= 5000,
    'updates/s',
  )
  return goals
}

const COLORS: Record<TargetName, string> = { ours: '#1f6feb', stock: '#d29922', raw: '#8b949e' }

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Small multiples: one panel per headline number, a bar per server, values printed on the bars. */
export function chartSvg(results: BenchResults): string {
  const panels = CHART_PANELS.map((row) => {
    const scenario = results.scenarios.find((s) => s.id === row.scenario)
    return {
      row,
      title: `${scenario?.title ?? row.scenario}: ${row.label} (${row.unit})${row.higherIsBetter ? ', higher is better' : ', lower is better'}`,
      values: TARGETS.map((t) => ({ target: t, value: metric(scenario?.results[t], row.path) })),
    }
  }).filter((panel) => panel.values.some((v) => v.value !== null))
  const columns = 2
  const panelWidth = 440
  const panelHeight = 150
  const top = 100
  const width = columns * panelWidth + 40
  const height = top + Math.ceil(panels.length / columns) * panelHeight + 20
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-labelledby="title">`,
    `<title id="title">Hashiya, the stock Yjs server and a raw relay: headline numbers of the ${results.mode} benchmark</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="28" font-size="16" font-weight="600">Hashiya benchmark (${results.mode} mode, ${escapeXml(results.startedAt.slice(0, 10))}, ${results.machine.nproc} cores, Node ${escapeXml(results.machine.node)})</text>`,
  ]
  TARGETS.forEach((t, i) => {
    const y = 40 + i * 18
    parts.push(`<rect x="20" y="${y}" width="12" height="12" fill="${COLORS[t]}"/>`)
    parts.push(`<text x="38" y="${y + 10}">${t}: ${escapeXml(results.targets[t] ?? t)}</text>`)
  })
  panels.forEach((panel, index) => {
    const x0 = 20 + (index % columns) * panelWidth
    const y0 = top + Math.floor(index / columns) * panelHeight
    const max = Math.max(...panel.values.map((v) => v.value ?? 0)) || 1
    const barArea = panelWidth - 140
    parts.push(`<text x="${x0}" y="${y0 + 16}" font-weight="600">${escapeXml(panel.title)}</text>`)
    panel.values.forEach(({ target, value }, i) => {
      const y = y0 + 30 + i * 34
      parts.push(`<text x="${x0}" y="${y + 17}">${target}</text>`)
      if (value === null) {
        parts.push(`<text x="${x0 + 50}" y="${y + 17}" fill="#8b949e">n/a</text>`)
        return
      }
      const w = Math.max(1, (value / max) * barArea)
      parts.push(
        `<rect x="${x0 + 50}" y="${y + 4}" width="${w.toFixed(1)}" height="20" fill="${COLORS[target]}"/>`,
      )
      parts.push(`<text x="${x0 + 56 + w}" y="${y + 18}">${escapeXml(format(value))}</text>`)
    })
  })
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}
