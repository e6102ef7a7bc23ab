/**
 * Vitest settings every workspace package shares: resolve sibling packages to
 * their TypeScript sources (the `source` export condition), so tests never run
 * against a stale build.
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
})
