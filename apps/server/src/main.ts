/**
 * Entry point: configuration from the environment, then the server, then
 * a clean flush on SIGTERM/SIGINT (not ready, stop accepting, store, close
 * clients with 1012, close storage and Redis).
 */
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './logger.js'
import { startServer } from './server.js'

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig()
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`)
    process.exit(2)
  }
  throw error
}

const logger = createLogger(config.logLevel)

try {
  const server = await startServer(config, logger)
  logger.info(
    {
      url: server.url,
      instanceId: server.instanceId,
      storage: config.database ? 'postgresql' : 'sqlite',
      ...(config.database ? {} : { dataDir: config.dataDir }),
      fanout: config.redis ? 'redis' : 'none',
    },
    'listening',
  )
  process.stderr.write(`\n  Hashiya is running at ${server.url}\n\n`)
  if (server.setupCode) {
    logger.info({}, 'no administrator yet; waiting for the setup screen')
    process.stderr.write(
      `  First start: create the administrator account at\n  ${server.url}/setup?code=${server.setupCode}\n\n`,
    )
  }

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    // A shutdown that hangs (a storage call that never returns) still ends.
    setTimeout(() => {
      logger.error({}, 'shutdown took longer than 30 s; exiting')
      process.exit(1)
    }, 30_000).unref()
    server.close().then(
      () => {
        logger.info({}, 'stopped')
        process.exit(0)
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  logger.fatal({ err: error }, 'could not start')
  process.stderr.write(`Hashiya could not start: ${message}\n`)
  process.exit(1)
}
