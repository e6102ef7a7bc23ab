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

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/**
 * One record standing for several rounds of the same measurement (`--repeat`):
 * each number, summaries' included, is the median of the rounds'; a flag is
 * true only if it was in every round; anything else is the first round's.
 * Single runs on shared cores move by several milliseconds at p99, so a
 * comparison between servers is judged on medians of alternating rounds.
 */
export function medianOfRounds<T extends object>(rounds: readonly T[]): T {
  const first = rounds[0]
  if (first === undefined) throw new Error('medianOfRounds needs at least one round')
  const combined: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(first)) {
    const values = rounds.map((each) => (each as Record<string, unknown>)[key])
    if (typeof value === 'number' && values.every((v) => typeof v === 'number')) {
      combined[key] = round(median(values as number[]), 3)
    } else if (typeof value === 'boolean') {
      combined[key] = values.every((v) => v === true)
    } else if (
      value !== null &&
      typeof value === 'object' &&
      values.every((v) => v !== null && typeof v === 'object')
    ) {
      combined[key] = medianOfRounds(values as object[])
    } else {
      combined[key] = value
    }
  }
  return combined as T
}
