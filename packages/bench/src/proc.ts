/**
 * What a server process costs, read from /proc (Linux): CPU time from
 * /proc/<pid>/stat (utime + stime, in clock ticks), memory from
 * /proc/<pid>/status (VmRSS now, VmHWM the peak since the process started).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

let ticksPerSecond = 0

function clockTicks(): number {
  if (ticksPerSecond === 0) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }
  return ticksPerSecond
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name may contain spaces; fields resume after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return (utime + stime) / clockTicks()
}

function statusField(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  return match ? Number(match[1]) * 1024 : 0
}

/** CPU seconds the whole machine has been busy (all cores; /proc/stat, idle and iowait excluded). */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number)
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
    clockTicks()
  )
}

/** Resident memory now, in bytes. */
export function rssBytes(pid: number): number {
  return statusField(pid, 'VmRSS')
}

/** Peak resident memory since the process started, in bytes. */
export function peakRssBytes(pid: number): number {
  return statusField(pid, 'VmHWM')
}

/** Bytes of every file under a directory. */
export function directoryBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) total += directoryBytes(path)
    else if (entry.isFile()) total += statSync(path).size
  }
  return total
}

/** CPU used over a window, as a share of one core. */
export class CpuWindow {
  private startCpu = 0
  private startWall = 0
  private result: { seconds: number; cores: number } | null = null

  /** A process id, or null for the whole machine. */
  constructor(private readonly pid: number | null) {}

  private read(): number {
    return this.pid === null ? machineBusySeconds() : cpuSeconds(this.pid)
  }

  start(): void {
    this.startCpu = this.read()
    this.startWall = performance.now()
    this.result = null
  }

  stop(): { seconds: number; cores: number } {
    const seconds = this.read() - this.startCpu
    const wall = (performance.now() - this.startWall) / 1000
    this.result = { seconds, cores: wall > 0 ? seconds / wall : 0 }
    return this.result
  }
}

/** Samples resident memory every `intervalMs` and keeps the highest. */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null
  peak = 0
  last = 0

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.sample()
    this.timer = setInterval(() => this.sample(), this.intervalMs)
    this.timer.unref()
  }

  sample(): number {
    try {
      this.last = rssBytes(this.pid)
      if (this.last > this.peak) this.peak = this.last
    } catch {
      // the process is gone
    }
    return this.last
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.sample()
  }
}
