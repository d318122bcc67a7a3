/**
 * Capacity is enforced by PostgreSQL (conditional UPDATE + CHECK), not by application code: 50
 * simultaneous desk bookings into one window give exactly `capacity` bookings.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '@/lib/db/prisma'
import { isAppError } from '@/lib/errors/app-error'
import { londonDate, londonWallClockToUtc } from '@/lib/time/london'
import { seed } from '@/prisma/seed'
import { bookSlot } from './book-slot'
import { addDays } from './generate-slots'
import { slotRepository } from './slot-repository'

const now = new Date()
const day = addDays(londonDate(now), 2)
let serviceId = ''
let scheduleId = ''
const receptionist = { kind: 'staff' as const, id: crypto.randomUUID(), roles: ['RECEPTIONIST'] }

beforeAll(async () => {
  await seed(now)
  const s = await prisma().schedule.findFirstOrThrow({ select: { id: true, serviceId: true } })
  serviceId = s.serviceId
  scheduleId = s.id
})

async function windowOf(capacity: number, minutes: number) {
  const start = londonWallClockToUtc(day, minutes)
  return prisma().slot.create({ data: { serviceId, scheduleId, start, end: new Date(start.getTime() + 30 * 60_000), capacity } })
}

describe.each([1, 3])('50 parallel desk bookings into a window of capacity %i', (capacity) => {
  it(`exactly ${capacity} succeed, the rest get 409 conflict, and the database agrees`, async () => {
    const slot = await windowOf(capacity, 22 * 60 + capacity * 30)
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => bookSlot({ slotId: slot.id, patient: { given: 'Pat', family: `Parallel${i}` }, actor: receptionist, now })),
    )
    const ok = results.filter((r) => r.status === 'fulfilled')
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)
    expect(ok).toHaveLength(capacity)
    expect(refused).toHaveLength(50 - capacity)
    for (const e of refused) {
      expect(isAppError(e) && e.kind).toBe('conflict')
      expect((e as Error).message).toBe('This arrival window is full.')
    }
    const stored = await prisma().slot.findUniqueOrThrow({ where: { id: slot.id } })
    expect(stored.booked).toBe(capacity)
    expect(stored.overbooked).toBe(0)
    expect(await prisma().booking.count({ where: { slotId: slot.id } })).toBe(capacity)
  })
})

describe('the claim SQL itself', () => {
  it('50 parallel claims on capacity 3 take exactly 3 places', async () => {
    const slot = await windowOf(3, 23 * 60 + 15)
    const claims = await Promise.all(Array.from({ length: 50 }, () => prisma().$transaction((tx) => slotRepository.claim(tx, slot.id, serviceId, now))))
    expect(claims.filter(Boolean)).toHaveLength(3)
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: slot.id } })).booked).toBe(3)
  })

  it('the CHECK constraint refuses booked > capacity even for a direct write', async () => {
    const slot = await windowOf(1, 21 * 60 + 45)
    await expect(prisma().slot.update({ where: { id: slot.id }, data: { booked: 2 } })).rejects.toThrow()
  })

  it('never claims a blocked window or one that has ended', async () => {
    const blocked = await windowOf(3, 7 * 60)
    await prisma().slot.update({ where: { id: blocked.id }, data: { blocked: true } })
    expect(await prisma().$transaction((tx) => slotRepository.claim(tx, blocked.id, serviceId, now))).toBeNull()
    const later = new Date(blocked.end.getTime() + 1)
    const open = await windowOf(3, 6 * 60)
    expect(await prisma().$transaction((tx) => slotRepository.claim(tx, open.id, serviceId, later))).toBeNull()
    expect(await prisma().$transaction((tx) => slotRepository.claim(tx, open.id, crypto.randomUUID(), now))).toBeNull() // another service's window
  })
})
