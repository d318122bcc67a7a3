/**
 * A desk cancel or move of a booking that holds a referral's window tells the referral (its state)
 * and the sender (an OutboxMessage) exactly as the clinician's rebook does, in the desk's own
 * transaction (docs/responses.md "Booking changes made at the desk").
 */
import type { Bundle } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import { staffActor, type TStaffActor } from '@/lib/audit/actor'
import { freshBooking, freshBookingCancel, freshReferralMessage, randomNhsNumber } from '@/lib/bars/example-messages'
import { isAppError, ReplayedFailure } from '@/lib/errors/app-error'
import { prisma } from '@/lib/db/prisma'
import { processMessage } from '@/lib/messages/process-message'
import { acceptReferral } from '@/lib/referrals/accept-referral'
import { rebookReferral } from '@/lib/referrals/rebook-referral'
import { serviceRepository } from '@/lib/services/service-repository'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { seed } from '@/prisma/seed'
import { bookSlot } from './book-slot'
import { cancelBooking } from './cancel-booking'
import { moveBooking } from './move-booking'

let serviceId = ''
let clinician: TStaffActor
const receptionist: TStaffActor = { kind: 'staff', id: crypto.randomUUID(), roles: ['RECEPTIONIST'] }

beforeAll(async () => {
  await seed(new Date())
  serviceId = (await prisma().service.findFirstOrThrow({ where: { dosServiceId: '111111111' } })).id
  clinician = staffActor(await prisma().staffUser.findUniqueOrThrow({ where: { email: 'clinician@demo.nhs.uk' } }))
})

async function newSlot(capacity = 2): Promise<string> {
  const start = new Date(Date.now() + (30 + Math.random() * 2000) * 3_600_000)
  start.setUTCSeconds(1 + Math.floor(Math.random() * 58), Math.floor(Math.random() * 1000))
  return (await prisma().slot.create({ data: { serviceId, start, end: new Date(start.getTime() + 30 * 60_000), capacity } })).id
}

/** A referral received from the sender and booked by the clinician (state BOOKED, one booking). */
async function bookedReferral() {
  const service = (await serviceRepository.findByDosId('111111111'))!
  const correlationId = crypto.randomUUID()
  const reply = await processMessage({
    service,
    requestId: crypto.randomUUID(),
    correlationId,
    nhsd: { undecodable: [] },
    auditHeaders: {},
    body: freshReferralMessage({ now: new Date(), patient: { nhsNumber: randomNhsNumber(), family: 'Deskcase', given: 'Alex', birthDate: '1990-01-02' } }),
  })
  const referralId = reply.entry!.find((e) => e.resource?.resourceType === 'ServiceRequest')!.resource!.id!
  const slotId = await newSlot()
  const rebooked = await rebookReferral({ referralId, version: 1, slotId, actor: clinician })
  expect(rebooked.state).toBe('BOOKED')
  const booking = await prisma().booking.findFirstOrThrow({ where: { referralId, status: 'booked' } })
  return { referralId, correlationId, slotId, booking }
}

const outboxFor = (referralId: string) => prisma().outboxMessage.findMany({ where: { referralId }, orderBy: { createdAt: 'asc' } })
const appointments = (b: Bundle) => (b.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === 'Appointment') as { id: string; status: string }[]

describe('desk cancel of a booking linked to a referral', () => {
  it('moves the referral Booked → New and queues the booking-cancelled message for the sender, in one go', async () => {
    const { referralId, correlationId, slotId, booking } = await bookedReferral()
    const before = await prisma().referral.findUniqueOrThrow({ where: { id: referralId } })
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: slotId } })).booked).toBe(1)

    await cancelBooking({ bookingId: booking.id, reason: 'Patient phoned: cannot come', actor: receptionist })

    const after = await prisma().referral.findUniqueOrThrow({ where: { id: referralId } })
    expect(after.state).toBe('NEW')
    expect(after.version).toBe(before.version + 1)
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: booking.id } })).status).toBe('cancelled')
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: slotId } })).booked).toBe(0)

    const sent = await outboxFor(referralId)
    expect(sent.map((m) => m.kind)).toEqual(['rebook', 'booking-cancelled'])
    const msg = sent[1]!
    expect(msg).toMatchObject({ status: 'PENDING', correlationId, targetEndpoint: before.sourceEndpoint })
    const bundle = msg.bundle as unknown as Bundle
    expectValidFhir(bundle)
    expect(appointments(bundle)).toEqual([expect.objectContaining({ id: booking.id, status: 'cancelled' })])
    expect(await prisma().auditEvent.count({ where: { action: 'referral.booking-cancelled', entityId: referralId, actorId: receptionist.id } })).toBe(1)
    expect(await prisma().bookingVersion.count({ where: { bookingId: booking.id } })).toBe(2)
  })

  it('leaves an unlinked desk booking to the desk: no referral, no message', async () => {
    const slotId = await newSlot()
    const b = await bookSlot({ slotId, patient: { given: 'Walk', family: 'In' }, actor: receptionist })
    const outboxBefore = await prisma().outboxMessage.count()
    await cancelBooking({ bookingId: b.id, reason: 'Left', actor: receptionist })
    expect(await prisma().outboxMessage.count()).toBe(outboxBefore)
    expect(await prisma().bookingVersion.count({ where: { bookingId: b.id } })).toBe(2)
  })
})

describe('desk move of a booking linked to a referral', () => {
  it('cancels and books (as a rebook), keeps the referral Booked, and queues the rebook message naming both Appointments', async () => {
    const { referralId, slotId, booking } = await bookedReferral()
    const target = await newSlot()
    const moved = await moveBooking({ bookingId: booking.id, toSlotId: target, actor: receptionist })

    expect(moved.id).not.toBe(booking.id)
    expect(moved.slotId).toBe(target)
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: booking.id } })).status).toBe('cancelled')
    expect(await prisma().booking.findUniqueOrThrow({ where: { id: moved.id } })).toMatchObject({ status: 'booked', referralId, slotId: target })
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: slotId } })).booked).toBe(0)
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: target } })).booked).toBe(1)

    const referral = await prisma().referral.findUniqueOrThrow({ where: { id: referralId } })
    expect(referral.state).toBe('BOOKED')
    const sent = await outboxFor(referralId)
    expect(sent.map((m) => m.kind)).toEqual(['rebook', 'rebook'])
    const bundle = sent[1]!.bundle as unknown as Bundle
    expectValidFhir(bundle)
    expect(appointments(bundle)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: moved.id, status: 'booked' }), expect.objectContaining({ id: booking.id, status: 'cancelled' })]),
    )
    expect(await prisma().auditEvent.count({ where: { action: 'referral.booking-moved', entityId: referralId } })).toBe(1)
  })

  it('follows the rebook rule for the state: Accepted → Booked, while a referral still New stays New (no skipped review)', async () => {
    const service = (await serviceRepository.findByDosId('111111111'))!
    const states: string[] = []
    for (const accept of [true, false]) {
      const p = { nhsNumber: randomNhsNumber(), family: 'Senderbooked', given: 'Kim', birthDate: '1985-03-04' }
      const send = (body: Bundle) => processMessage({ service, requestId: crypto.randomUUID(), correlationId: crypto.randomUUID(), nhsd: { undecodable: [] }, auditHeaders: {}, body })
      const reply = await send(freshReferralMessage({ now: new Date(), patient: p }))
      const referralId = reply.entry!.find((e) => e.resource?.resourceType === 'ServiceRequest')!.resource!.id!
      await send(freshBooking({ now: new Date(), slotId: await newSlot(), basedOnServiceRequestId: referralId, patient: p }))
      const booking = await prisma().booking.findFirstOrThrow({ where: { referralId, status: 'booked' } })
      if (accept) {
        const { version } = await prisma().referral.findUniqueOrThrow({ where: { id: referralId } })
        await acceptReferral({ referralId, version, actor: clinician })
      }
      await moveBooking({ bookingId: booking.id, toSlotId: await newSlot(), actor: receptionist })
      states.push((await prisma().referral.findUniqueOrThrow({ where: { id: referralId } })).state)
      expect((await outboxFor(referralId)).at(-1)!.kind).toBe('rebook')
    }
    expect(states).toEqual(['BOOKED', 'NEW'])
  })

  it('an unlinked booking moves in place: same id, a second version row, no message', async () => {
    const outboxBefore = await prisma().outboxMessage.count()
    const slotId = await newSlot()
    const b = await bookSlot({ slotId, patient: { given: 'Walk', family: 'In' }, actor: receptionist })
    const target = await newSlot()
    const moved = await moveBooking({ bookingId: b.id, toSlotId: target, actor: receptionist })
    expect(moved.id).toBe(b.id)
    expect(await prisma().outboxMessage.count()).toBe(outboxBefore)
    expect(await prisma().bookingVersion.findMany({ where: { bookingId: b.id }, select: { version: true }, orderBy: { version: 'asc' } })).toEqual([{ version: 1 }, { version: 2 }])
  })
})

describe('the desk and the sender cancel the same booking at the same moment', () => {
  it('one cancellation wins (the same conditional UPDATE behind both), the other is 409; the place is given back once', async () => {
    const service = (await serviceRepository.findByDosId('111111111'))!
    for (let round = 0; round < 5; round++) {
      const p = { nhsNumber: randomNhsNumber(), family: 'Doublecancel', given: 'Jo', birthDate: '1970-07-08' }
      const correlationId = crypto.randomUUID()
      const send = (body: Bundle) => processMessage({ service, requestId: crypto.randomUUID(), correlationId, nhsd: { undecodable: [] }, auditHeaders: {}, body })
      const reply = await send(freshReferralMessage({ now: new Date(), patient: p }))
      const referralId = reply.entry!.find((e) => e.resource?.resourceType === 'ServiceRequest')!.resource!.id!
      const slotId = await newSlot()
      await send(freshBooking({ now: new Date(), slotId, basedOnServiceRequestId: referralId, patient: p }))
      const booking = await prisma().booking.findFirstOrThrow({ where: { referralId, status: 'booked' } })

      const [desk, sender] = await Promise.allSettled([
        cancelBooking({ bookingId: booking.id, reason: 'Phoned in', actor: receptionist }),
        send(freshBookingCancel({ now: new Date(Date.now() + 1000), appointmentId: booking.id, patient: p })),
      ])
      const statusOf = (r: PromiseSettledResult<unknown>) =>
        r.status === 'fulfilled' ? 200 : isAppError(r.reason) ? r.reason.status : r.reason instanceof ReplayedFailure ? r.reason.status : 500
      const pair = [statusOf(desk), statusOf(sender)]
      expect(pair.sort()).toEqual([200, 409])
      expect((await prisma().slot.findUniqueOrThrow({ where: { id: slotId } })).booked).toBe(0)
      expect(await prisma().bookingVersion.count({ where: { bookingId: booking.id } })).toBe(2)
      expect((await prisma().booking.findUniqueOrThrow({ where: { id: booking.id } })).status).toBe('cancelled')
    }
  })
})
