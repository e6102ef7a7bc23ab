/**
 * Telling "the store cannot be reached or written right now" apart from
 * everything else. A database that is down, restarting or failing over, a
 * lost connection, a full or busy disk: the request was fine and the answer is
 * "try again later" (503), not a server fault (500). Any store, and any code
 * on the same database (accounts), fails this way.
 */

/** System errors of a connection that could not be made or was lost. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
])

/** PostgreSQL SQLSTATEs: admin/crash shutdown, cannot connect now (class 08 and 53 by prefix). */
const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03'])

/** SQLite result codes of a disk that is full, locked too long or failing. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|FULL|CANTOPEN|IOERR)/

/** node-postgres reports lost and timed-out connections with these messages and no code. */
const POSTGRES_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/

export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  // a connection attempt to several addresses fails with all of their errors
  if (error instanceof AggregateError && error.errors.some(isStorageUnavailable)) return true
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE.has(code)) return true
    if (code.startsWith('08') || code.startsWith('53')) return true
    if (SQLITE_UNAVAILABLE.test(code)) return true
  }
  return POSTGRES_CONNECTION_MESSAGES.test(error.message)
}
