/**
 * @hashiya/testing: helpers for tests that run the real server.
 */
export {
  adminAccount,
  adminToken,
  bearerToken,
  signInCookie,
  TEST_ADMIN,
  TEST_PASSWORD,
  type TestAccount,
  type TestAccounts,
  type TestRole,
  testAccount,
  testAccounts,
} from './accounts.js'
export {
  freePort,
  SERVER_ENTRY,
  type ServerProcess,
  type ServerProcessOptions,
  startServerProcess,
} from './server-process.js'
export { waitFor } from './wait.js'
