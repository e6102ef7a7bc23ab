import { defaultClientConditions } from 'vite'
import { defineConfig } from 'vitest/config'

/** Unit tests of pure browser logic; end-to-end tests have their own config. */
export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
})
