import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '@/lib/db/prisma'
import { DEMO_SERVICE } from '@/lib/demo/demo-data'
import { seed } from '@/prisma/seed'
import { HOUSEKEEPING_LOCK, runHousekeeping } from './run-housekeeping'

beforeAll(async () => {
  await seed(new Date())
})

describe('housekeeping', () => {
  it('tops up the arrival windows of every service and records the audit retention run', async () => {
    const service = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: DEMO_SERVICE.dosServiceId } })
    const before = await prisma().slot.count({ where: { serviceId: service.id } })
    // A week later the horizon has moved on: new windows appear, nothing is duplicated.
    const later = new Date(Date.now() + 7 * 24 * 3600_000)
    const run = await runHousekeeping(later)
    expect(run.ran).toBe(true)
    const after = await prisma().slot.count({ where: { serviceId: service.id } })
    expect(after).toBeGreaterThan(before)
    expect(await runHousekeeping(later)).toMatchObject({ ran: true })
    expect(await prisma().slot.count({ where: { serviceId: service.id } })).toBe(after)
    expect(await prisma().auditEvent.count({ where: { action: 'audit.retention' } })).toBe(2)
  })

  it('runs on one instance at a time: while another holds the lock it does nothing', async () => {
    await prisma().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${HOUSEKEEPING_LOCK}::bigint)`
      expect(await runHousekeeping()).toEqual({ ran: false })
    })
    expect((await runHousekeeping()).ran).toBe(true)
  })
})
