/**
 * One clock for every thread of the load generator: microseconds since the
 * run's epoch (wall-clock based, high resolution), so a send time written by
 * one worker thread can be compared with an arrival time taken by another.
 */

let base = 0

/** Microseconds since the Unix epoch, sub-millisecond resolution. */
export function epochMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000)
}

/** Every thread sets the same base, chosen by the main thread at start. */
export function setClockBase(micros: number): void {
  base = micros
}

export function clockBase(): number {
  return base
}

/** Microseconds since the run's epoch. */
export function now(): number {
  return epochMicros() - base
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
