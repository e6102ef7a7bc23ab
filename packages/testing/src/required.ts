/**
 * Tests that need something from outside the repository (a PostgreSQL server,
 * a redis-server binary) are skipped with a warning where it is missing, except
 * in CI (CI=true), where a failing test says what is missing.
 */

/**
 * Whether to skip the tests that need what `unavailable` says is missing (null:
 * nothing is). `test` is the calling file's `it`, so the failing test in CI
 * belongs to its run:
 * `describe.skipIf(skipWithout(await postgresUnavailable(), 'the store tests', it))(…)`
 */
export function skipWithout(
  unavailable: string | null,
  tests: string,
  test: (name: string, body: () => void) => void,
): boolean {
  if (unavailable === null) return false
  if (process.env.CI === 'true') {
    test(`has what ${tests} need (required in CI)`, () => {
      throw new Error(unavailable)
    })
  } else {
    console.warn(`${unavailable}: skipping ${tests}; with CI=true they fail instead.`)
  }
  return true
}
