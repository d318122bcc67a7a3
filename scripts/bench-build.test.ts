/**
 * The bench-only echo route (app/fhir/bench-echo/route.bench.ts) exists in the bench build only:
 * next.config.js adds the `bench.ts` page extension (and its own build directory) when
 * BARS_BENCH_BUILD=1, and the product build, without it, never sees the file as a route.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

const root = path.resolve(import.meta.dirname, '..')

async function loadConfig(benchBuild: string | undefined) {
  if (benchBuild === undefined) delete process.env.BARS_BENCH_BUILD
  else process.env.BARS_BENCH_BUILD = benchBuild
  // A fresh evaluation of the config module each time (it reads the variable when loaded).
  vi.resetModules()
  const mod = (await import('../next.config.js')) as { default: { pageExtensions?: string[]; distDir?: string } }
  return mod.default
}

afterEach(() => {
  delete process.env.BARS_BENCH_BUILD
})

describe('the bench-only route', () => {
  it('is a route file only with the bench page extension', () => {
    expect(fs.existsSync(path.join(root, 'app/fhir/bench-echo/route.bench.ts'))).toBe(true)
    expect(fs.existsSync(path.join(root, 'app/fhir/bench-echo/route.ts'))).toBe(false)
  })

  it('the product build has Next’s default page extensions and .next', async () => {
    const config = await loadConfig(undefined)
    expect(config.pageExtensions).toBeUndefined()
    expect(config.distDir).toBeUndefined()
  })

  it('the bench build adds bench.ts and builds into .next-bench', async () => {
    const config = await loadConfig('1')
    expect(config.pageExtensions).toContain('bench.ts')
    expect(config.distDir).toBe('.next-bench')
  })
})
