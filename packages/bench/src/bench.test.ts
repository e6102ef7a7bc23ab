/**
 * Smoke test: the real CLI (built) runs two tiny scenarios against all three
 * servers for a few seconds. No thresholds: only that every number is there,
 * well-formed and non-zero, and that the table, JSON and chart are written.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { marker, STEP2_EMPTY, scanMarkers, syncFrame, syncPayload } from './protocol.js'
import type { BenchResults } from './report.js'
import { medianOfRounds, summarize } from './stats.js'

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const run = promisify(execFile)

describe('protocol helpers', () => {
  it('finds every marker in a frame, whatever surrounds it', () => {
    const text = `قال ${marker(7, 123456)} ثم ${marker(12, 99)}`
    const frame = syncFrame(2, new TextEncoder().encode(text))
    const found: [number, number][] = []
    expect(scanMarkers(frame, (author, micros) => found.push([author, micros]))).toBe(2)
    expect(found).toEqual([
      [7, 123456],
      [12, 99],
    ])
  })

  it('reads a sync payload back, and refuses truncated frames', () => {
    const payload = new Uint8Array(300).fill(5)
    expect(syncPayload(syncFrame(2, payload))).toEqual(payload)
    expect(syncPayload(syncFrame(2, payload).subarray(0, 100))).toBeNull()
    expect(syncPayload(STEP2_EMPTY)).toEqual(Uint8Array.of(0, 0))
  })

  it('stands several rounds for one by their medians', () => {
    const round = (p99: number, converged: boolean | string, rss: number) => ({
      latencyMs: { count: 100, p50: 1, p99 },
      converged,
      serverPeakRssMB: rss,
      note: 'first',
    })
    expect(
      medianOfRounds([round(30, true, 100), round(10, true, 300), round(20, true, 200)]),
    ).toEqual(round(20, true, 200))
    // an even count: the middle two's mean; a flag holds only if it held in every round
    expect(
      medianOfRounds([
        round(10, true, 100),
        round(40, false, 100),
        round(20, true, 100),
        round(30, true, 100),
      ]),
    ).toEqual({ ...round(25, false, 100) })
    expect(medianOfRounds([round(5, 'n/a', 1), { ...round(9, 'n/a', 3), note: 'second' }])).toEqual(
      round(7, 'n/a', 2),
    )
    expect(() => medianOfRounds([])).toThrow()
  })

  it('summarizes with nearest-rank percentiles', () => {
    const summary = summarize([Float64Array.from({ length: 100 }, (_, i) => i + 1)])
    expect(summary).toMatchObject({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 })
  })
})

describe('pnpm bench --smoke', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hashiya-bench-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('runs tiny scenarios against ours, stock and raw and writes well-formed results', async () => {
    const out = join(dir, 'smoke.json')
    const { stdout } = await run(
      process.execPath,
      [CLI, '--smoke', '--only', 'fanout,append', '--out', out],
      { timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
    )
    expect(stdout).toContain('ours/stock')
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults
    expect(results.version).toBe(1)
    expect(results.mode).toBe('smoke')
    expect(results.machine.nproc).toBeGreaterThan(0)
    expect(results.scenarios.map((s) => s.id)).toEqual(['fanout', 'append'])
    for (const scenario of results.scenarios) {
      for (const target of ['ours', 'stock', 'raw'] as const) {
        const metrics = scenario.results[target] as Record<string, unknown>
        expect(metrics, `${scenario.id} × ${target}`).toBeDefined()
        expect(metrics.error, `${scenario.id} × ${target}`).toBeUndefined()
        const latency = metrics.latencyMs as { count: number; p50: number; p99: number }
        expect(latency.count).toBeGreaterThan(0)
        expect(latency.p50).toBeGreaterThan(0)
        expect(latency.p99).toBeGreaterThanOrEqual(latency.p50)
        expect(metrics.serverPeakRssMB).toBeGreaterThan(0)
        expect(metrics.serverCpuCores).toBeGreaterThanOrEqual(0)
      }
      expect((scenario.results.ours as Record<string, number>).diskMB).toBeGreaterThan(0)
    }
    const fanout = results.scenarios[0]?.results.ours as Record<string, number>
    expect(fanout.editsPerSecond).toBeGreaterThan(0)
    expect(fanout.deliveriesPerSecond).toBeGreaterThan(0)
    const append = results.scenarios[1]?.results.ours as Record<string, number>
    expect(append.updatesPerSecond).toBeGreaterThan(0)
    expect(results.goals.length).toBeGreaterThan(0)
    expect(readFileSync(out.replace(/\.json$/, '.svg'), 'utf8')).toContain('<svg')
    expect(readFileSync(out.replace(/\.json$/, '.md'), 'utf8')).toContain('| ours/stock |')
  }, 180_000)

  it('with --repeat, keeps every round and reports their medians', async () => {
    const out = join(dir, 'repeat.json')
    const { stdout } = await run(
      process.execPath,
      [
        CLI,
        '--smoke',
        '--only',
        'fanout',
        '--targets',
        'ours,stock',
        '--repeat',
        '2',
        '--out',
        out,
      ],
      { timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
    )
    expect(stdout).toContain('median of 2 rounds')
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults
    expect(results.repeat).toBe(2)
    type WithP99 = { latencyMs: { p99: number } }
    const fanout = results.scenarios[0] as (typeof results.scenarios)[number]
    for (const target of ['ours', 'stock'] as const) {
      const rounds = (fanout.rounds?.[target] ?? []) as unknown as WithP99[]
      expect(rounds).toHaveLength(2)
      const median = (fanout.results[target] as unknown as WithP99).latencyMs.p99
      const [a, b] = rounds.map((r) => r.latencyMs.p99) as [number, number]
      expect(median).toBeCloseTo((a + b) / 2, 2)
    }
    const paired = results.goals.find((goal) => goal.goal.includes('no worse than the stock'))
    expect(paired?.value).toMatch(/medians of 2 rounds; ours no worse in [0-2] of 2/)
  }, 180_000)
})
