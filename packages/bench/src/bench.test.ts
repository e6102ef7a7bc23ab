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
import { summarize } from './stats.js'

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
})
