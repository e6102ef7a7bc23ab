/**
 * @hashiya/testing: helpers for tests that run the real server.
 */
export {
  freePort,
  SERVER_ENTRY,
  type ServerProcess,
  type ServerProcessOptions,
  startServerProcess,
} from './server-process.js'
export { waitFor } from './wait.js'
