import { beforeAll, describe, expect, it } from 'vitest'
import { inProcessFetch } from '@/lib/testing/in-process-fetch'
import { seed } from '@/prisma/seed'
import { formatReport, runConformance } from './conformance'

beforeAll(async () => {
  await seed(new Date())
})

describe('npm run conformance, in process against the route handlers', () => {
  it('passes every check with no response >= 500 and both ids on every response', { timeout: 120_000 }, async () => {
    const report = await runConformance({ baseUrl: 'http://localhost:3000', fetch: inProcessFetch })
    const failed = report.checks.filter((c) => !c.passed)
    expect(failed, formatReport(report)).toEqual([])
    expect(report.serverErrors).toBe(0)
    expect(report.missingIds).toBe(0)
    expect(report.checks.length).toBeGreaterThan(60)
    expect(report.passed).toBe(true)
    // The App 5 cases ran against the demo pharmacy (666666666).
    expect(report.checks.filter((c) => c.requirement.startsWith('App 5')).length).toBeGreaterThanOrEqual(9)
  })
})
