import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
})
