/**
 * The rules PostgreSQL guarantees, under real concurrency: conflicting requests fired AT THE SAME
 * TIME (Promise.all) through the $process-message route handler. Exactly one wins, the others get
 * 409 REC_CONFLICT (never a 5xx), the stored rows agree, and each loser's idempotency record
 * remembers its 409 so a retry is answered the same.
 * (Before the partial unique indexes and conditional UPDATEs: 10 of 100 referrals stored as
 * active, 10 of 50 bookings current, 500s from clashing ReferralVersion numbers.)
 */
import type { Bundle } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import { POST } from '@/app/fhir/process-message/route'
import { freshBooking, freshBookingCancel, freshReferralCancel, freshReferralMessage, randomNhsNumber, type TPatientOpts } from '@/lib/bars/example-messages'
import { prisma } from '@/lib/db/prisma'
import { fhirRequest, outcomeCodes, readJson } from '@/lib/testing/fhir-request'
import { withEnv } from '@/lib/testing/test-env'
import { seed } from '@/prisma/seed'

// Every request must reach the race: lift the per-instance in-flight bound (load shedding has its
// own test, lib/http/inflight-limit.int.test.ts) and give the pool time under a loaded CI machine.
withEnv({ BARS_MAX_INFLIGHT_MESSAGES: '200', BARS_DB_CONNECT_TIMEOUT_MS: '30000' })

let serviceId: string

beforeAll(async () => {
  await seed(new Date())
  serviceId = (await prisma().service.findFirstOrThrow({ where: { dosServiceId: '111111111' } })).id
})

interface TSent {
  status: number
  body: Record<string, any>
  requestId: string
  correlationId: string
}

async function send(body: unknown, ids: { correlationId: string; requestId?: string }): Promise<TSent> {
  const requestId = ids.requestId ?? crypto.randomUUID()
  const res = await POST(fhirRequest({ body, requestId, correlationId: ids.correlationId }))
  return { status: res.status, body: await readJson(res), requestId, correlationId: ids.correlationId }
}

function tally(results: TSent[]) {
  const by = (s: number) => results.filter((r) => r.status === s)
  return { ok: by(200), conflict: by(409), serverErrors: results.filter((r) => r.status >= 500), other: results.filter((r) => r.status !== 200 && r.status !== 409) }
}

function patient(): TPatientOpts & { nhsNumber: string } {
  return { nhsNumber: randomNhsNumber(), family: 'Racer', given: 'Robin', birthDate: '1975-05-06' }
}

/** A future window of the demo service, off the minute so it never meets a seeded one. */
async function newSlot(capacity = 1): Promise<string> {
  const start = new Date(Date.now() + (30 + Math.random() * 2000) * 3_600_000)
  start.setUTCSeconds(1 + Math.floor(Math.random() * 58), Math.floor(Math.random() * 1000))
  return (await prisma().slot.create({ data: { serviceId, start, end: new Date(start.getTime() + 30 * 60_000), capacity } })).id
}

const entryOf = (bundle: Record<string, any>, type: string) => bundle.entry.find((e: any) => e.resource.resourceType === type).resource

async function expectLosersRemembered(losers: TSent[]) {
  for (const r of losers) expect(outcomeCodes(r.body)).toEqual({ rec: 'REC_CONFLICT', issue: 'conflict' })
  const rows = await prisma().inboundMessage.findMany({ where: { requestId: { in: losers.map((l) => l.requestId) } }, select: { state: true, responseStatus: true } })
  expect(rows).toHaveLength(losers.length)
  for (const row of rows) expect(row).toEqual({ state: 'FAILED', responseStatus: 409 })
}

describe('100 fresh referrals at once in one conversation (same patient, fresh Bundle ids and X-Request-Ids)', () => {
  it('stores exactly 1 active referral; the other 99 get 409 REC_CONFLICT and a retry gets the same 409', async () => {
    const correlationId = crypto.randomUUID()
    const p = patient()
    const bundles = Array.from({ length: 100 }, () => freshReferralMessage({ now: new Date(), patient: p }))
    expect(new Set(bundles.map((b) => b.id)).size).toBe(100)

    const results = await Promise.all(bundles.map((b) => send(b, { correlationId })))
    const t = tally(results)
    expect(t.serverErrors).toHaveLength(0)
    expect(t.ok).toHaveLength(1)
    expect(t.conflict).toHaveLength(99)
    expect(await prisma().referral.count({ where: { serviceId, correlationId, fhirStatus: 'active' } })).toBe(1)
    expect(await prisma().referral.count({ where: { correlationId } })).toBe(1)
    await expectLosersRemembered(t.conflict)

    // The proxy's retry of a loser (same ids) is answered with the same 409, verbatim.
    const loser = t.conflict[0]!
    const again = await send(bundles[results.indexOf(loser)], { correlationId, requestId: loser.requestId })
    expect(again.status).toBe(409)
    expect(again.body).toEqual(loser.body)
  })
})

describe('50 bookings at once in one conversation (each for its own free window)', () => {
  it('makes exactly 1 current booking; the rest get 409 and every window the losers tried keeps its place', async () => {
    const correlationId = crypto.randomUUID()
    const p = patient()
    const slots = await Promise.all(Array.from({ length: 50 }, () => newSlot(1)))
    const results = await Promise.all(slots.map((slotId) => send(freshBooking({ now: new Date(), slotId, patient: p }), { correlationId })))
    const t = tally(results)
    expect(t.serverErrors).toHaveLength(0)
    expect(t.ok).toHaveLength(1)
    expect(t.conflict).toHaveLength(49)
    expect(await prisma().booking.count({ where: { serviceId, correlationId, status: 'booked' } })).toBe(1)
    expect(await prisma().booking.count({ where: { correlationId } })).toBe(1)
    // Slot places: the one window booked holds 1, the 49 others hold none (the losers' claims rolled back).
    const winnerSlot = entryOf(t.ok[0]!.body, 'Slot').id as string
    const places = await prisma().slot.findMany({ where: { id: { in: slots } }, select: { id: true, booked: true, overbooked: true } })
    for (const s of places) expect({ booked: s.booked, overbooked: s.overbooked }).toEqual({ booked: s.id === winnerSlot ? 1 : 0, overbooked: 0 })
    await expectLosersRemembered(t.conflict)
  })
})

describe.each([4, 50])('%i cancellations of one referral at once', (n) => {
  it('exactly one 200, the rest 409, no 5xx, and one cancellation version', async () => {
    const correlationId = crypto.randomUUID()
    const p = patient()
    const created = await send(freshReferralMessage({ now: new Date(), patient: p }), { correlationId })
    expect(created.status).toBe(200)
    const srId = entryOf(created.body, 'ServiceRequest').id as string

    const cancels = Array.from({ length: n }, () => freshReferralCancel({ now: new Date(Date.now() + 1000), serviceRequestId: srId, patient: p }))
    const results = await Promise.all(cancels.map((b) => send(b, { correlationId })))
    const t = tally(results)
    expect(t.serverErrors).toHaveLength(0)
    expect(t.ok).toHaveLength(1)
    expect(t.conflict).toHaveLength(n - 1)
    const stored = await prisma().referral.findUniqueOrThrow({ where: { id: srId }, include: { versions: { orderBy: { version: 'asc' } } } })
    expect(stored).toMatchObject({ fhirStatus: 'revoked', state: 'CANCELLED' })
    expect(stored.versions.map((v) => v.version)).toEqual([1, 2])
    expect(stored.versions[1]!.fhirStatus).toBe('revoked')
    expect(await prisma().auditEvent.count({ where: { action: 'referral.cancel', entityId: srId, outcome: 'success' } })).toBe(1)
    await expectLosersRemembered(t.conflict)
  })
})

describe('50 cancellations of one booking at once', () => {
  it('exactly one 200, the rest 409, the place given back once, one cancellation version', async () => {
    const correlationId = crypto.randomUUID()
    const p = patient()
    const slotId = await newSlot(2)
    const booked = await send(freshBooking({ now: new Date(), slotId, patient: p }), { correlationId })
    expect(booked.status).toBe(200)
    const bookingId = entryOf(booked.body, 'Appointment').id as string

    const results = await Promise.all(
      Array.from({ length: 50 }, () => send(freshBookingCancel({ now: new Date(Date.now() + 1000), appointmentId: bookingId, patient: p }), { correlationId })),
    )
    const t = tally(results)
    expect(t.serverErrors).toHaveLength(0)
    expect(t.ok).toHaveLength(1)
    expect(t.conflict).toHaveLength(49)
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe('cancelled')
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: slotId } })).booked).toBe(0)
    expect((await prisma().bookingVersion.findMany({ where: { bookingId }, select: { version: true }, orderBy: { version: 'asc' } })).map((v) => v.version)).toEqual([1, 2])
    await expectLosersRemembered(t.conflict)
  })
})

describe('links raced for one booking', () => {
  it('50 referrals (each its own conversation) naming the same booking: one is linked, the rest 409', async () => {
    const p = patient()
    const booked = await send(freshBooking({ now: new Date(), slotId: await newSlot(1), patient: p }), { correlationId: crypto.randomUUID() })
    expect(booked.status).toBe(200)
    const bookingId = entryOf(booked.body, 'Appointment').id as string

    const referrals: Bundle[] = Array.from({ length: 50 }, () => freshReferralMessage({ now: new Date(), patient: p, supportingAppointmentId: bookingId }))
    const results = await Promise.all(referrals.map((b) => send(b, { correlationId: crypto.randomUUID() })))
    const t = tally(results)
    expect(t.serverErrors).toHaveLength(0)
    expect(t.ok).toHaveLength(1)
    expect(t.conflict).toHaveLength(49)
    const winner = entryOf(t.ok[0]!.body, 'ServiceRequest').id as string
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: bookingId } })).referralId).toBe(winner)
    // Nothing of the losers was stored (their referral insert rolled back with the refused link).
    expect(await prisma().referral.count({ where: { correlationId: { in: t.conflict.map((r) => r.correlationId) } } })).toBe(0)
    await expectLosersRemembered(t.conflict)
  })

  it('50 bookings (each its own conversation) based on the same referral: one current booking for it, the rest 409', async () => {
    const p = patient()
    const referral = await send(freshReferralMessage({ now: new Date(), patient: p }), { correlationId: crypto.randomUUID() })
    expect(referral.status).toBe(200)
    const srId = entryOf(referral.body, 'ServiceRequest').id as string
    const slotId = await newSlot(60)

    const results = await Promise.all(
      Array.from({ length: 50 }, () => send(freshBooking({ now: new Date(), slotId, basedOnServiceRequestId: srId, patient: p }), { correlationId: crypto.randomUUID() })),
    )
    const t = tally(results)
    expect(t.serverErrors).toHaveLength(0)
    expect(t.ok).toHaveLength(1)
    expect(t.conflict).toHaveLength(49)
    expect(await prisma().booking.count({ where: { referralId: srId, status: 'booked' } })).toBe(1)
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: slotId } })).booked).toBe(1)
    await expectLosersRemembered(t.conflict)
  })
})
