import { defineConfig, mergeConfig } from 'vitest/config'
import shared from '../../vitest.shared.ts'

// scrypt is memory-hard on purpose: on two busy cores a test that hashes a few passwords can take seconds.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 30_000 } }))
