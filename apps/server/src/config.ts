/**
 * Configuration from environment variables, validated once at start so that a
 * typo stops the server with a message naming the variable, not a stack trace.
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

const defaultWebDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist')

const integer = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)

const schema = z.object({
  PORT: integer('PORT', 0, 65_535).default(8787),
  HOST: z.string().min(1, 'HOST must not be empty').default('127.0.0.1'),
  DATA_DIR: z.string().min(1, 'DATA_DIR must not be empty').default('./data'),
  WEB_DIST_DIR: z.string().min(1).default(defaultWebDist),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  /** Largest WebSocket frame accepted; larger ones close that socket with 1009. */
  MAX_FRAME_BYTES: integer('MAX_FRAME_BYTES', 1024, 256 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Largest HTTP request body accepted (413 beyond). */
  MAX_BODY_BYTES: integer('MAX_BODY_BYTES', 1024, 256 * 1024 * 1024).default(4 * 1024 * 1024),
  UNLOAD_AFTER_MS: integer('UNLOAD_AFTER_MS', 0, 24 * 3_600_000).default(30_000),
  /** Silence after which the last update counts as an automatic checkpoint (version). */
  CHECKPOINT_AFTER_MS: integer('CHECKPOINT_AFTER_MS', 1_000, 7 * 24 * 3_600_000).default(120_000),
  COMPACT_AFTER_UPDATES: integer('COMPACT_AFTER_UPDATES', 1, 10_000_000).default(1_000),
  SQLITE_SYNCHRONOUS: z
    .enum(['NORMAL', 'FULL'], { error: 'SQLITE_SYNCHRONOUS must be NORMAL or FULL' })
    .default('NORMAL'),
  /** The first administrator, created at start when none exists (else the setup screen). */
  ADMIN_USERNAME: z.string().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  ADMIN_DISPLAY_NAME: z.string().optional(),
  SESSION_TTL_HOURS: integer('SESSION_TTL_HOURS', 1, 24 * 90).default(24 * 7),
  /** Default lifetime of a bearer token (POST /api/tokens); the longest allowed is 30 days. */
  TOKEN_TTL_MINUTES: integer('TOKEN_TTL_MINUTES', 1, 30 * 24 * 60).default(60),
  COOKIE_SECURE: z
    .enum(['auto', 'true', 'false'], { error: 'COOKIE_SECURE must be auto, true or false' })
    .default('auto'),
  /** Behind a reverse proxy: take the client address and scheme from X-Forwarded-*. */
  TRUST_PROXY: z
    .enum(['true', 'false'], { error: 'TRUST_PROXY must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  LOGIN_FAILURES_PER_ACCOUNT: integer('LOGIN_FAILURES_PER_ACCOUNT', 1, 1_000).default(5),
  LOGIN_ATTEMPTS_PER_ADDRESS: integer('LOGIN_ATTEMPTS_PER_ADDRESS', 1, 100_000).default(30),
  CONNECTIONS_PER_MINUTE: integer('CONNECTIONS_PER_MINUTE', 1, 10_000_000).default(600),
  MESSAGES_PER_SECOND: integer('MESSAGES_PER_SECOND', 1, 1_000_000).default(200),
  MAX_AWARENESS_BYTES: integer('MAX_AWARENESS_BYTES', 256, 16 * 1024 * 1024).default(64 * 1024),
  DEMO_DOCUMENT: z
    .enum(['true', 'false'], { error: 'DEMO_DOCUMENT must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
})

export type Config = {
  port: number
  host: string
  dataDir: string
  webDistDir: string
  logLevel: z.infer<typeof schema>['LOG_LEVEL']
  maxFrameBytes: number
  maxBodyBytes: number
  unloadAfterMs: number
  compactAfterUpdates: number
  checkpointAfterMs: number
  sqliteSynchronous: 'NORMAL' | 'FULL'
  demoDocument: boolean
  admin: { username: string; password: string; displayName: string } | null
  sessionTtlMs: number
  tokenTtlMs: number
  cookieSecure: 'auto' | boolean
  trustProxy: boolean
  loginFailuresPerAccount: number
  loginAttemptsPerAddress: number
  connectionsPerMinute: number
  messagesPerSecond: number
  maxAwarenessBytes: number
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  )
  const parsed = schema.safeParse(defined)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0])
        return `${name}=${JSON.stringify(env[name])}: ${issue.message}`
      }),
    )
  }
  const values = parsed.data
  if (Boolean(values.ADMIN_USERNAME) !== Boolean(values.ADMIN_PASSWORD)) {
    throw new ConfigError(['ADMIN_USERNAME and ADMIN_PASSWORD must be set together'])
  }
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: resolve(values.DATA_DIR),
    webDistDir: resolve(values.WEB_DIST_DIR),
    logLevel: values.LOG_LEVEL,
    maxFrameBytes: values.MAX_FRAME_BYTES,
    maxBodyBytes: values.MAX_BODY_BYTES,
    unloadAfterMs: values.UNLOAD_AFTER_MS,
    compactAfterUpdates: values.COMPACT_AFTER_UPDATES,
    checkpointAfterMs: values.CHECKPOINT_AFTER_MS,
    sqliteSynchronous: values.SQLITE_SYNCHRONOUS,
    demoDocument: values.DEMO_DOCUMENT,
    admin:
      values.ADMIN_USERNAME && values.ADMIN_PASSWORD
        ? {
            username: values.ADMIN_USERNAME,
            password: values.ADMIN_PASSWORD,
            displayName: values.ADMIN_DISPLAY_NAME ?? values.ADMIN_USERNAME,
          }
        : null,
    sessionTtlMs: values.SESSION_TTL_HOURS * 3_600_000,
    tokenTtlMs: values.TOKEN_TTL_MINUTES * 60_000,
    cookieSecure: values.COOKIE_SECURE === 'auto' ? 'auto' : values.COOKIE_SECURE === 'true',
    trustProxy: values.TRUST_PROXY,
    loginFailuresPerAccount: values.LOGIN_FAILURES_PER_ACCOUNT,
    loginAttemptsPerAddress: values.LOGIN_ATTEMPTS_PER_ADDRESS,
    connectionsPerMinute: values.CONNECTIONS_PER_MINUTE,
    messagesPerSecond: values.MESSAGES_PER_SECOND,
    maxAwarenessBytes: values.MAX_AWARENESS_BYTES,
  }
}
