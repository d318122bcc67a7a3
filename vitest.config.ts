import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '@': import.meta.dirname } },
  test: {
    include: ['{lib,app,components,scripts,prisma}/**/*.test.{ts,tsx}'],
    environment: 'node',
    setupFiles: ['./lib/testing/vitest-setup.ts'],
    // Integration tests each get their own database cloned from a migrated template (see vitest-setup).
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
