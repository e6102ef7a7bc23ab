import { defineConfig, mergeConfig } from 'vitest/config'
import shared from '../../vitest.shared.ts'

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      include: ['tests/**/*.test.ts'],
      testTimeout: 90_000,
      hookTimeout: 60_000,
      // one browser at a time: the machine has two cores
      fileParallelism: false,
    },
  }),
)
