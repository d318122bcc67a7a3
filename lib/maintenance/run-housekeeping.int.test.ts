import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '@/lib/db/prisma'
import { DEMO_SERVICE } from '@/lib/demo/demo-data'
import { seed } from '@/prisma/seed'
import { SESSION_ABSOLUTE_HOURS, SESSION_IDLE_MINUTES } from '@/lib/auth/session-limits'
import { HOUSEKEEPING_LOCK, LIVE_EVENT_RETENTION_HOURS, runHousekeeping } from './run-housekeeping'

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

describe('housekeeping retention of live events and staff sessions', () => {
  it('deletes live events older than the retention and keeps fresh ones, raising the retention mark', async () => {
    const now = new Date()
    const old = await prisma().liveEvent.create({ data: { type: 'referral.updated', entityId: 'old', at: new Date(now.getTime() - (LIVE_EVENT_RETENTION_HOURS + 1) * 3600_000) } })
    const fresh = await prisma().liveEvent.create({ data: { type: 'referral.updated', entityId: 'fresh', at: new Date(now.getTime() - 3600_000) } })
    const run = await runHousekeeping(now)
    expect(run.ran && run.result.liveEvents).toBeGreaterThanOrEqual(1)
    expect(await prisma().liveEvent.findUnique({ where: { id: old.id } })).toBeNull()
    expect(await prisma().liveEvent.findUnique({ where: { id: fresh.id } })).not.toBeNull()
    const mark = await prisma().liveEventRetention.findUniqueOrThrow({ where: { id: 1 } })
    expect([mark.throughTxid, mark.throughId]).toEqual([old.txid, old.id])
  })

  it('deletes revoked, idle and too-old staff sessions and keeps live ones', async () => {
    const now = new Date()
    const user = await prisma().staffUser.findFirstOrThrow({ select: { id: true } })
    const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000)
    const make = (createdAt: Date, lastSeenAt: Date, revokedAt?: Date) =>
      prisma().staffSession.create({ data: { userId: user.id, createdAt, lastSeenAt, revokedAt }, select: { id: true } })
    const live = await make(ago(60), ago(5))
    const nearlyIdle = await make(ago(SESSION_IDLE_MINUTES), ago(SESSION_IDLE_MINUTES - 1))
    const idle = await make(ago(90), ago(SESSION_IDLE_MINUTES + 1))
    const tooOld = await make(ago(SESSION_ABSOLUTE_HOURS * 60 + 1), ago(1))
    const revoked = await make(ago(10), ago(2), ago(1))
    const run = await runHousekeeping(now)
    expect(run.ran && run.result.sessions).toBe(3)
    const left = await prisma().staffSession.findMany({ where: { id: { in: [live, nearlyIdle, idle, tooOld, revoked].map((s) => s.id) } }, select: { id: true } })
    expect(left.map((s) => s.id).sort()).toEqual([live.id, nearlyIdle.id].sort())
  })
})
