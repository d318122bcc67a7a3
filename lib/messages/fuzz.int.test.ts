/**
 * A short, seeded fuzz run of POST /fhir/$process-message (the long run is `npm run fuzz`): mutated
 * real NHS examples and random bundles through the real route handler and PostgreSQL. Properties
 * (lib/testing/fuzz-runner.ts): never a 5xx, no domain row written by a rejection, every rejection a
 * BaRS OperationOutcome with both ids echoed (every 10th checked by the R4 validator), every 7th
 * rejection retried with the same ids and answered the same. A failure names the seed:
 * `npm run fuzz -- --seed <seed> --cases 1` replays it.
 */
import type { Resource } from '@medplum/fhirtypes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fhirIssues } from '@/lib/testing/fhir-validate'
import { runCases } from '@/lib/testing/fuzz-runner'
import { withEnv } from '@/lib/testing/test-env'
import { seed } from '@/prisma/seed'

const SEED = 20261201
const CASES = 300
const LIMIT = 256 * 1024

let restore: () => void
beforeAll(async () => {
  restore = withEnv({ BARS_MAX_BODY_BYTES: String(LIMIT), BARS_SENDER_RATE_LIMIT: '1000000' })
  await seed(new Date())
})
afterAll(() => restore())

const validate = (r: Record<string, unknown>) =>
  fhirIssues(r as unknown as Resource)
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${i.details?.text ?? i.diagnostics ?? ''} @ ${(i.expression ?? []).join(', ')}`)

describe('fuzzing $process-message (seeded)', () => {
  it(`${CASES} mutated examples and random bundles: no 5xx, no partial write, valid OperationOutcomes with both ids`, { timeout: 600_000 }, async () => {
    const summary = await runCases(SEED, CASES, { limit: LIMIT, retryEvery: 7, validateEvery: 10, validate })
    const failures = summary.failures.map((f) => `seed ${f.seed} (${f.description}) → ${f.status}: ${f.problems.join('; ')}`)
    expect(failures, `replay one with: npm run fuzz -- --seed <seed> --cases 1`).toEqual([])
    expect(summary.cases).toBe(CASES)
    // The run is not vacuous: most cases are refused, and some mutated messages still get through.
    const accepted = summary.byStatus[200] ?? 0
    expect(accepted).toBeGreaterThan(0)
    expect(summary.cases - accepted).toBeGreaterThan(CASES / 2)
  })
})
