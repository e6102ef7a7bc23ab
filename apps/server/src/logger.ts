/**
 * Structured JSON logs (pino). Fields, never document text: ids, counts, codes.
 */
import { pino } from 'pino'
import type { Config } from './config.js'

export function createLogger(level: Config['logLevel']) {
  return pino({ level, base: { service: 'hashiya' } })
}

export type AppLogger = ReturnType<typeof createLogger>
