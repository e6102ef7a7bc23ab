/** Latency samples and their summary. */

export class Samples {
  private data = new Float64Array(1024)
  length = 0

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2)
      grown.set(this.data)
      this.data = grown
    }
    this.data[this.length++] = value
  }

  /** A copy of the samples, for sending to another thread. */
  take(): Float64Array {
    const out = this.data.slice(0, this.length)
    this.length = 0
    return out
  }
}

export interface Summary {
  count: number
  mean: number
  p50: number
  p95: number
  p99: number
  max: number
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** Nearest-rank percentiles over every sample (no histogram approximation). */
export function summarize(parts: readonly Float64Array[]): Summary | null {
  let total = 0
  for (const part of parts) total += part.length
  if (total === 0) return null
  const all = new Float64Array(total)
  let offset = 0
  let sum = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
    for (const value of part) sum += value
  }
  all.sort()
  const at = (q: number) =>
    all[Math.min(total - 1, Math.max(0, Math.ceil(q * total) - 1))] as number
  return {
    count: total,
    mean: round(sum / total),
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(all[total - 1] as number),
  }
}

export { round }
