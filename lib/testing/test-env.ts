import { resetEnvForTests } from '@/lib/env'

/** Set environment variables for one test (re-read by env()); returns a function restoring them. */
export function withEnv(vars: Record<string, string | undefined>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]))
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) delete process.env[k]
      else process.env[k] = val
    }
    resetEnvForTests()
  }
  apply(vars)
  return () => apply(before)
}
