/**
 * `pnpm bench` (quick), `pnpm bench --full` (the issue's numbers), `--smoke`
 * (seconds, for CI). Runs every scenario against our server, the stock Yjs
 * server and the raw relay, each started fresh; prints a table with the ratios,
 * writes results JSON and an SVG chart.
 *
 * Options: --only a,b (scenario ids)  --targets ours,stock  --workers N
 *          --repeat N (rounds per scenario, the servers in alternating order;
 *          the table shows each metric's median, the JSON every round)
 *          --out path.json  --chart path.svg  --cpu-prof dir (ours, stock)  --browser
 *          --set crunch.editors=100,durationMs=5000 (override sizes)
 *          --server-env COMPACT_AFTER_UPDATES=100000 (our server's environment)
 *          --report results.json (redraw the table and chart of an earlier run)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem } from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { epochMicros, setClockBase } from './clock.js'
import { GeneratorPool } from './pool.js'
import {
  type BenchResults,
  chartSvg,
  evaluateGoals,
  goalsTable,
  markdownTable,
  type ScenarioResult,
  terminalTable,
} from './report.js'
import {
  FULL,
  type Metrics,
  QUICK,
  SCENARIOS,
  type Scenario,
  type Sizes,
  SMOKE,
} from './scenarios.js'
import { medianOfRounds } from './stats.js'
import { startTarget, TARGET_LABELS, TARGETS, type Target, type TargetName } from './targets.js'

interface Options {
  sizes: Sizes
  only: string[] | null
  targets: TargetName[]
  workers: number
  /** Rounds of each scenario (--repeat); results are the rounds' medians. */
  repeat: number
  out: string
  chart: string
  cpuProfileDir: string | null
  browser: boolean
  /** Extra environment for our server (experiments: COMPACT_AFTER_UPDATES=…). */
  serverEnv: Record<string, string>
}

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url))

function parseArgs(argv: string[]): Options {
  const value = (name: string): string | null => {
    const index = argv.indexOf(name)
    if (index === -1) return null
    const next = argv[index + 1]
    if (next === undefined || next.startsWith('--')) throw new Error(`${name} needs a value`)
    return next
  }
  const base = argv.includes('--full') ? FULL : argv.includes('--smoke') ? SMOKE : QUICK
  // --set crunch.editors=100,durationMs=5000: override sizes (for investigations).
  const sizes = structuredClone(base) as Sizes
  for (const assignment of value('--set')?.split(',') ?? []) {
    const [path, raw] = assignment.split('=')
    const keys = (path ?? '').split('.')
    let holder = sizes as unknown as Record<string, unknown>
    for (const key of keys.slice(0, -1)) holder = holder[key] as Record<string, unknown>
    const last = keys[keys.length - 1] as string
    if (!holder || typeof holder[last] !== 'number') throw new Error(`--set: no size ${path}`)
    holder[last] = Number(raw)
  }
  const only = value('--only')?.split(',') ?? null
  const targets = (value('--targets')?.split(',') ?? [...TARGETS]) as TargetName[]
  for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}`)
  if (only) {
    for (const id of only) {
      if (!SCENARIOS.some((s) => s.id === id)) throw new Error(`unknown scenario ${id}`)
    }
  }
  const repeat = Number(value('--repeat') ?? 1)
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat needs a whole number ≥ 1')
  const defaultOut =
    sizes.label === 'smoke' ? 'smoke.json' : sizes.label === 'full' ? 'full.json' : 'latest.json'
  const out = resolve(value('--out') ?? `${RESULTS_DIR}${defaultOut}`)
  return {
    sizes,
    only,
    targets,
    workers: Number(value('--workers') ?? 2),
    repeat,
    out,
    chart: resolve(value('--chart') ?? out.replace(/\.json$/, '.svg')),
    cpuProfileDir: value('--cpu-prof'),
    browser: argv.includes('--browser'),
    serverEnv: Object.fromEntries(
      // split at the first '=' only: values may hold one (NODE_OPTIONS=--max-semi-space-size=64)
      (value('--server-env')?.split(',') ?? []).map((pair) => {
        const at = pair.indexOf('=')
        return [pair.slice(0, at), pair.slice(at + 1)]
      }),
    ),
  }
}

function machine(): BenchResults['machine'] {
  return {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kernel: release(),
  }
}

/** Writes the table, goals, Markdown and chart of a results JSON. */
function publish(output: BenchResults, out: string, chart: string): void {
  output.goals = evaluateGoals(output)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, `${JSON.stringify(output, null, 2)}\n`)
  writeFileSync(chart, chartSvg(output))
  writeFileSync(
    out.replace(/\.json$/, '.md'),
    `${markdownTable(output)}\n\n${goalsTable(output)}\n`,
  )
  process.stdout.write(`\n${terminalTable(output)}\n\n${goalsTable(output)}\n`)
  process.stdout.write(`\nResults: ${out}\nChart:   ${chart}\n`)
}

/** One scenario against one server, started fresh and stopped afterwards. */
async function runOnce(
  scenario: Scenario,
  name: TargetName,
  options: Options,
  pool: GeneratorPool,
): Promise<Metrics | { error: string }> {
  const scenarioOptions = scenario.serverOptions?.(name) ?? {}
  const env = { ...scenarioOptions.env, ...(name === 'ours' ? options.serverEnv : {}) }
  if (options.cpuProfileDir && name !== 'raw') {
    const dir = resolve(options.cpuProfileDir, scenario.id, name)
    mkdirSync(dir, { recursive: true })
    // Node 20 refuses --cpu-prof in NODE_OPTIONS: a preloaded probe profiles instead.
    const probe = new URL('./cpu-probe.js', import.meta.url).href
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${probe}`.trim()
    env.BENCH_CPU_PROFILE_DIR = dir
  }
  const began = performance.now()
  const loadAverage1m = Math.round((loadavg()[0] ?? 0) * 100) / 100
  let target: Target | null = null
  try {
    target = await startTarget(name, { env })
    const metrics = await scenario.run(target, {
      pool,
      sizes: options.sizes,
      log: (message) => process.stderr.write(`${message}\n`),
      replaceTarget: (next) => {
        target = next
      },
    })
    metrics.loadAverage1m = loadAverage1m
    process.stderr.write(
      `  ${name.padEnd(5)} ${((performance.now() - began) / 1000).toFixed(1)}s ${JSON.stringify(metrics)}\n`,
    )
    return metrics
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`  ${name.padEnd(5)} failed: ${message}\n`)
    return { error: message }
  } finally {
    await pool.closeAll().catch(() => {})
    await (target as Target | null)?.dispose().catch(() => {})
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const reportIndex = argv.indexOf('--report')
  if (reportIndex !== -1) {
    // --report results.json: redraw the table, Markdown and chart of an earlier run.
    const path = resolve(argv[reportIndex + 1] ?? '')
    publish(
      JSON.parse(readFileSync(path, 'utf8')) as BenchResults,
      path,
      path.replace(/\.json$/, '.svg'),
    )
    return
  }
  const options = parseArgs(argv)
  if (options.browser) {
    const { runBrowserBench } = await import('./browser.js')
    await runBrowserBench(process.argv.slice(2))
    return
  }
  setClockBase(epochMicros())
  const started = Date.now()
  const { sizes } = options
  const scenarios = SCENARIOS.filter((s) => !options.only || options.only.includes(s.id))
  process.stderr.write(
    `Hashiya benchmark, ${sizes.label} mode${sizes.label === 'quick' ? " (scaled down; `pnpm bench --full` for the issue's numbers)" : ''}: ${scenarios.length} scenarios × ${options.targets.join(', ')}, ${options.workers} generator threads\n`,
  )
  const pool = new GeneratorPool(options.workers)
  const results: ScenarioResult[] = []
  try {
    for (const scenario of scenarios) {
      const entry: ScenarioResult = {
        id: scenario.id,
        title: scenario.title,
        description: scenario.describe(sizes),
        results: {},
      }
      results.push(entry)
      process.stderr.write(`\n${scenario.title}: ${entry.description}\n`)
      const rounds: Partial<Record<TargetName, (Metrics | { error: string })[]>> =
        Object.fromEntries(options.targets.map((name) => [name, []]))
      for (let round = 0; round < options.repeat; round++) {
        if (options.repeat > 1) process.stderr.write(`  round ${round + 1} of ${options.repeat}\n`)
        // alternating order, so that neither server always runs on a machine the other warmed
        const order = round % 2 === 0 ? options.targets : [...options.targets].reverse()
        for (const name of order) {
          rounds[name]?.push(await runOnce(scenario, name, options, pool))
        }
      }
      for (const name of options.targets) {
        const measured = rounds[name] ?? []
        const failed = measured.find((metrics) => 'error' in metrics)
        entry.results[name] = failed ?? medianOfRounds(measured as Metrics[])
      }
      if (options.repeat > 1) entry.rounds = rounds
    }
  } finally {
    await pool.terminate()
  }
  const output: BenchResults = {
    version: 1,
    mode: sizes.label,
    repeat: options.repeat,
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: machine(),
    generator: {
      threads: options.workers,
      note: 'worker threads in the benchmark process, sharing the machine with the server',
    },
    targets: TARGET_LABELS,
    scenarios: results,
    goals: [],
  }
  publish(output, options.out, options.chart)
  process.stdout.write(`Took ${output.durationSeconds}s (${sizes.label} mode)\n`)
  const failed = results.some((r) => Object.values(r.results).some((m) => 'error' in m))
  if (failed) process.exitCode = 1
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exit(1)
})
