/**
 * 50 parallel booking-request messages (copies of the NHS example BOOKREQ01 with new Bundle ids, each
 * naming our window through the bundled Slot's id) posted to the $process-message route handler:
 * exactly `capacity` are answered 200, the rest 409 REC_CONFLICT conflict, no double booking.
 * (Each request is its own conversation; 50 bookings racing in ONE conversation are in
 * lib/messages/concurrency.int.test.ts. The desk path's 50-way race is in claim-concurrency.int.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { POST } from '@/app/fhir/process-message/route'
import { prisma } from '@/lib/db/prisma'
import { fhirRequest, fixture, outcomeCodes, readJson } from '@/lib/testing/fhir-request'
import { withEnv } from '@/lib/testing/test-env'
import { londonDate, londonWallClockToUtc } from '@/lib/time/london'
import { seed } from '@/prisma/seed'
import { addDays } from './generate-slots'

// All 50 must reach the booking race: lift the per-instance in-flight bound (load shedding has its own test, lib/http/inflight-limit.int.test.ts).
withEnv({ BARS_MAX_INFLIGHT_MESSAGES: '100' })
const now = new Date()
const day = addDays(londonDate(now), 3)
const BOOKREQ01 = 'BOOKREQ01_Booking_Request_New_Full.json'

await seed(now)
const schedule = await prisma().schedule.findFirstOrThrow({ select: { id: true, serviceId: true } })

async function windowOf(capacity: number, minutes: number) {
  const start = londonWallClockToUtc(day, minutes)
  return prisma().slot.create({ data: { serviceId: schedule.serviceId, scheduleId: schedule.id, start, end: new Date(start.getTime() + 30 * 60_000), capacity } })
}

/** BOOKREQ01 with a new Bundle id, booking the given window (Slot.id, Appointment start/end). */
function bookingFor(slot: { id: string; start: Date; end: Date }, n: number) {
  const b = structuredClone(fixture<any>(BOOKREQ01))
  b.id = crypto.randomUUID()
  for (const e of b.entry) {
    const r = e.resource
    if (r.resourceType === 'Slot') Object.assign(r, { id: slot.id, start: slot.start.toISOString(), end: slot.end.toISOString(), status: 'free' })
    if (r.resourceType === 'Appointment') Object.assign(r, { start: slot.start.toISOString(), end: slot.end.toISOString() })
    if (r.resourceType === 'Patient' && Array.isArray(r.name)) r.name[0].family = `Parallel${n}`
  }
  return b
}

const post = (body: unknown) => POST(fhirRequest({ body }))

describe('one booking message', () => {
  it('books its window and counts the place', async () => {
    const slot = await windowOf(1, 7 * 60)
    const res = await post(bookingFor(slot, 0))
    expect(res.status).toBe(200)
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: slot.id } })).booked).toBe(1)
  })
})

describe.each([1, 3])('50 parallel booking requests through $process-message, window of capacity %i', (capacity) => {
  let slot: { id: string; start: Date; end: Date }
  beforeAll(async () => {
    slot = await windowOf(capacity, 22 * 60 + capacity * 30)
  })

  it(`exactly ${capacity} get 200, the rest 409 REC_CONFLICT conflict; booked equals the 200s`, async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => post(bookingFor(slot, i))))
    const statuses = responses.map((r) => r.status)
    const ok = statuses.filter((s) => s === 200).length
    expect(ok).toBe(capacity)
    expect(statuses.filter((s) => s === 409)).toHaveLength(50 - capacity)
    for (const r of responses.filter((x) => x.status === 409)) expect(outcomeCodes(await readJson(r))).toEqual({ rec: 'REC_CONFLICT', issue: 'conflict' })
    const stored = await prisma().slot.findUniqueOrThrow({ where: { id: slot.id } })
    expect(stored.booked).toBe(ok)
    expect(stored.overbooked).toBe(0)
    expect(await prisma().booking.count({ where: { slotId: slot.id, status: 'booked' } })).toBe(ok)
  })
})
