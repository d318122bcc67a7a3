import type { Bundle } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import { POST } from '@/app/fhir/process-message/route'
import { EXAMPLE_BOOKED_SLOT_ID, freshBooking, freshBookingCancel, freshReferralCancel, randomNhsNumber, type TPatientOpts } from '@/lib/bars/example-messages'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { fhirRequest, fixture, outcomeCodes, readJson } from '@/lib/testing/fhir-request'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { seed } from '@/prisma/seed'

let serviceId: string

beforeAll(async () => {
  await seed(new Date())
  serviceId = (await prisma().service.findFirstOrThrow({ where: { dosServiceId: '111111111' } })).id
})

async function send(body: unknown, ids: { correlationId?: string; requestId?: string } = {}) {
  const res = await POST(fhirRequest({ body, ...ids }))
  const json = await readJson(res)
  return { status: res.status, body: json, codes: outcomeCodes(json), res }
}

const entryOf = (bundle: Record<string, any>, type: string) => bundle.entry.find((e: any) => e.resource.resourceType === type).resource

/** A future slot of the demo service with the given capacity (the seed's windows hold 3). */
async function newSlot(capacity = 1, hoursAhead = 30 + Math.random() * 1000): Promise<string> {
  const start = new Date(Date.now() + hoursAhead * 3_600_000)
  // Off the minute, so it never coincides with a seeded window (unique per service, start and end).
  start.setUTCSeconds(1 + Math.floor(Math.random() * 58), Math.floor(Math.random() * 1000))
  const slot = await prisma().slot.create({ data: { serviceId, start, end: new Date(start.getTime() + 30 * 60_000), capacity } })
  return slot.id
}

const slotBooked = async (id: string) => (await prisma().slot.findUniqueOrThrow({ where: { id } })).booked

function patient(): TPatientOpts & { nhsNumber: string } {
  return { nhsNumber: randomNhsNumber(), family: 'Testpatient', given: 'Sam', birthDate: '1980-02-03' }
}

function referralFor(p: TPatientOpts & { nhsNumber: string }, supportingAppointmentId?: string): Bundle {
  const b = freshReferral({ now: new Date(), nhsNumber: p.nhsNumber, family: p.family, given: p.given })
  const pat = b.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as any
  pat.birthDate = p.birthDate
  if (supportingAppointmentId) {
    const sr = b.entry!.find((e) => e.resource?.resourceType === 'ServiceRequest')!.resource as any
    sr.supportingInfo = [...(sr.supportingInfo ?? []), { reference: `Appointment/${supportingAppointmentId}` }]
  }
  return b
}

describe('booking new (BOOKREQ01)', () => {
  it('books the seeded example slot through the real example, answering with our Appointment id and created', async () => {
    const before = await slotBooked(EXAMPLE_BOOKED_SLOT_ID)
    const correlationId = crypto.randomUUID()
    const { status, body } = await send(freshBooking({ now: new Date() }), { correlationId })
    expect(status).toBe(200)
    expectValidFhir(body as Bundle)
    const appt = entryOf(body, 'Appointment')
    expect(appt.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(Date.parse(appt.created)).toBeGreaterThan(Date.now() - 60_000)
    expect(entryOf(body, 'Slot').id).toBe(EXAMPLE_BOOKED_SLOT_ID)
    // ids the sender chose that are not ours are replaced
    expect(entryOf(body, 'Schedule').id).not.toBe('7e8c4baa-b7a7-4a7c-bb8c-8c8426ad7781')
    expect(entryOf(body, 'Practitioner').id).not.toBe('cad5a61c-3797-4f26-8921-ae4bc7f75eb6')
    expect(entryOf(body, 'HealthcareService').id).not.toBe('5088769a-491e-463f-a167-fff78bb472d9')

    const booking = await prisma().booking.findUniqueOrThrow({ where: { id: appt.id }, include: { versions: true, slot: true } })
    expect(booking).toMatchObject({ status: 'booked', slotId: EXAMPLE_BOOKED_SLOT_ID, correlationId, patientNhsNumber: '9476719931', useCase: 'a1t1' })
    expect(booking.start.toISOString()).toBe(booking.slot!.start.toISOString())
    expect(booking.versions).toHaveLength(1)
    expect(await slotBooked(EXAMPLE_BOOKED_SLOT_ID)).toBe(before + 1)
    expect(await prisma().liveEvent.count({ where: { type: 'booking.changed', entityId: appt.id } })).toBe(1)
    expect(await prisma().auditEvent.count({ where: { action: 'booking.receive', entityId: appt.id } })).toBe(1)

    // tidy: give the place back
    expect((await send(freshBookingCancel({ now: new Date() }), { correlationId })).status).toBe(200)
  })

  it('finds the slot by a relative Slot/{id} reference too', async () => {
    const slotId = await newSlot(1)
    const b = freshBooking({ now: new Date(), slotId }) as any
    const appt = b.entry.find((e: any) => e.resource.resourceType === 'Appointment').resource
    appt.slot = [{ reference: `Slot/${slotId}` }]
    b.entry = b.entry.filter((e: any) => e.resource.resourceType !== 'Slot')
    // without the bundled Slot the booking no longer conforms to its MessageDefinition (Slot 1..1)
    const res = await send(b)
    expect(res.status).toBe(400)
    expect(res.codes).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'invariant' })
    expect(res.body.issue[0].diagnostics).toContain('requires at least 1 Slot')
    expect(await slotBooked(slotId)).toBe(0)
  })

  it('gives 409 conflict when the slot is full, and books nothing', async () => {
    const slotId = await newSlot(1)
    expect((await send(freshBooking({ now: new Date(), slotId }))).status).toBe(200)
    const bookings = await prisma().booking.count()
    const second = await send(freshBooking({ now: new Date(), slotId }))
    expect(second.status).toBe(409)
    expect(second.codes).toEqual({ rec: 'REC_CONFLICT', issue: 'conflict' })
    expect(await prisma().booking.count()).toBe(bookings)
    expect(await slotBooked(slotId)).toBe(1)
  })

  it('never overfills a slot when many senders race for it', async () => {
    const slotId = await newSlot(2)
    const results = await Promise.all(Array.from({ length: 6 }, () => send(freshBooking({ now: new Date(), slotId }))))
    const statuses = results.map((r) => r.status).sort()
    expect(statuses).toEqual([200, 200, 409, 409, 409, 409])
    expect(await slotBooked(slotId)).toBe(2)
    expect(await prisma().booking.count({ where: { slotId, status: 'booked' } })).toBe(2)
  })

  it('refuses blocked and past slots with 409, an unknown slot with 400', async () => {
    const blocked = await newSlot(3)
    await prisma().slot.update({ where: { id: blocked }, data: { blocked: true } })
    expect((await send(freshBooking({ now: new Date(), slotId: blocked }))).status).toBe(409)
    const past = await newSlot(3, -5)
    expect((await send(freshBooking({ now: new Date(), slotId: past }))).status).toBe(409)
    const unknown = await send(freshBooking({ now: new Date(), slotId: crypto.randomUUID() }))
    expect(unknown.status).toBe(400)
    expect(unknown.codes.issue).toBe('invariant')
    expect(unknown.body.issue[0].expression).toEqual(['Slot.id'])
  })

  it('book twice in one conversation → 409 conflict (TKW stateful 111→ED)', async () => {
    const correlationId = crypto.randomUUID()
    expect((await send(freshBooking({ now: new Date(), slotId: await newSlot(3) }), { correlationId })).status).toBe(200)
    const again = await send(freshBooking({ now: new Date(), slotId: await newSlot(3) }), { correlationId })
    expect(again.status).toBe(409)
    expect(again.codes).toEqual({ rec: 'REC_CONFLICT', issue: 'conflict' })
  })
})

describe('booking cancel (BOOKREQ02) and rebook', () => {
  it('cancels the booking matched by X-Correlation-Id and patient, keeps both versions and releases the slot', async () => {
    const slotId = await newSlot(1)
    const correlationId = crypto.randomUUID()
    const booked = await send(freshBooking({ now: new Date(), slotId }), { correlationId })
    const id = entryOf(booked.body, 'Appointment').id
    expect(await slotBooked(slotId)).toBe(1)

    const cancel = await send(freshBookingCancel({ now: new Date(), reason: 'Patient feels better' }), { correlationId })
    expect(cancel.status).toBe(200)
    expect(entryOf(cancel.body, 'Appointment').id).toBe(id)
    const stored = await prisma().booking.findUniqueOrThrow({ where: { id }, include: { versions: { orderBy: { version: 'asc' } } } })
    expect(stored).toMatchObject({ status: 'cancelled', cancelReason: 'Patient feels better', version: 2 })
    expect(stored.versions.map((v) => v.status)).toEqual(['booked', 'cancelled'])
    expect(await slotBooked(slotId)).toBe(0)
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'booking.cancel', entityId: id } })
    expect(audit.detail).toMatchObject({ matchedBy: 'X-Correlation-Id and patient' })
  })

  it('matches an explicit Appointment id first, and refuses to cancel it twice (409, not a silent success)', async () => {
    const booked = await send(freshBooking({ now: new Date(), slotId: await newSlot(1) }))
    const id = entryOf(booked.body, 'Appointment').id
    // another conversation, but our id: found by Appointment.id
    expect((await send(freshBookingCancel({ now: new Date(), appointmentId: id }))).status).toBe(200)
    const again = await send(freshBookingCancel({ now: new Date(), appointmentId: id }))
    expect(again.status).toBe(409)
    expect(again.codes).toEqual({ rec: 'REC_CONFLICT', issue: 'conflict' })
    expect(again.body.issue[0].diagnostics).toContain('no longer current')
  })

  it('cancel a booking that does not exist → 400 (TKW stateful 111→ED)', async () => {
    const res = await send(freshBookingCancel({ now: new Date() }))
    expect(res.status).toBe(400)
    expect(res.codes).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'invariant' })
    expect(res.body.issue[0].diagnostics).toMatch(/No booking at this service matches/)
  })

  it('refuses a cancellation made from a version older than our last change (409, spec §4.7)', async () => {
    const correlationId = crypto.randomUUID()
    const t0 = new Date()
    expect((await send(freshBooking({ now: t0, slotId: await newSlot(1) }), { correlationId })).status).toBe(200)
    const stale = await send(freshBookingCancel({ now: new Date(t0.getTime() - 60_000) }), { correlationId })
    expect(stale.status).toBe(409)
    expect(stale.body.issue[0].expression).toEqual(['Appointment.meta.lastUpdated'])
  })

  it('rebook = cancel then new, in the same conversation', async () => {
    const correlationId = crypto.randomUUID()
    const first = await send(freshBooking({ now: new Date(), slotId: await newSlot(1) }), { correlationId })
    expect((await send(freshBookingCancel({ now: new Date() }), { correlationId })).status).toBe(200)
    const second = await send(freshBooking({ now: new Date(), slotId: await newSlot(1) }), { correlationId })
    expect(second.status).toBe(200)
    const ids = [entryOf(first.body, 'Appointment').id, entryOf(second.body, 'Appointment').id]
    const rows = await prisma().booking.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: 'asc' } })
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'booked'])
  })
})

describe('referrals and bookings linked in either order', () => {
  it('booking first, then the referral names it in supportingInfo', async () => {
    const p = patient()
    const correlationId = crypto.randomUUID()
    const booked = await send(freshBooking({ now: new Date(), slotId: await newSlot(1), patient: p }), { correlationId })
    const appointmentId = entryOf(booked.body, 'Appointment').id
    const referred = await send(referralFor(p, appointmentId), { correlationId })
    expect(referred.status).toBe(200)
    const srId = entryOf(referred.body, 'ServiceRequest').id
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: appointmentId } })).referralId).toBe(srId)
    // Still New: a booking never takes a referral past the clinician's review.
    expect((await prisma().referral.findUniqueOrThrow({ where: { id: srId } })).state).toBe('NEW')
  })

  it('referral first, then the booking names it in Appointment.basedOn', async () => {
    const p = patient()
    const correlationId = crypto.randomUUID()
    const referred = await send(referralFor(p), { correlationId })
    const srId = entryOf(referred.body, 'ServiceRequest').id
    const booked = await send(freshBooking({ now: new Date(), slotId: await newSlot(1), patient: p, basedOnServiceRequestId: srId }), { correlationId })
    expect(booked.status).toBe(200)
    const appt = entryOf(booked.body, 'Appointment')
    expect(appt.basedOn).toEqual([{ reference: `ServiceRequest/${srId}` }])
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: appt.id } })).referralId).toBe(srId)
    expect(await prisma().liveEvent.count({ where: { type: 'referral.updated', entityId: srId } })).toBe(1)
    // Still New: a booking never takes a referral past the clinician's review.
    expect((await prisma().referral.findUniqueOrThrow({ where: { id: srId } })).state).toBe('NEW')
  })

  it('referral linked to a missing booking → 400; booking based on a missing referral → 400', async () => {
    const p = patient()
    const r = await send(referralFor(p, crypto.randomUUID()))
    expect(r.status).toBe(400)
    expect(r.codes.issue).toBe('invariant')
    const b = await send(freshBooking({ now: new Date(), slotId: await newSlot(1), patient: p, basedOnServiceRequestId: crypto.randomUUID() }))
    expect(b.status).toBe(400)
    expect(b.body.issue[0].expression).toEqual(['Appointment.basedOn'])
  })

  it('mis-linked referral → 409: the booking is already linked to another active referral, or is for another patient', async () => {
    const p = patient()
    const booked = await send(freshBooking({ now: new Date(), slotId: await newSlot(1), patient: p }))
    const appointmentId = entryOf(booked.body, 'Appointment').id
    expect((await send(referralFor(p, appointmentId))).status).toBe(200)
    const second = await send(referralFor(p, appointmentId))
    expect(second.status).toBe(409)
    expect(second.codes).toEqual({ rec: 'REC_CONFLICT', issue: 'conflict' })

    const other = await send(freshBooking({ now: new Date(), slotId: await newSlot(1), patient: patient() }))
    const wrongPatient = await send(referralFor(p, entryOf(other.body, 'Appointment').id))
    expect(wrongPatient.status).toBe(409)
  })

  it('a booking for a referral that already has a current booking → 409', async () => {
    const p = patient()
    const srId = entryOf((await send(referralFor(p))).body, 'ServiceRequest').id
    expect((await send(freshBooking({ now: new Date(), slotId: await newSlot(1), patient: p, basedOnServiceRequestId: srId }))).status).toBe(200)
    const again = await send(freshBooking({ now: new Date(), slotId: await newSlot(1), patient: p, basedOnServiceRequestId: srId }))
    expect(again.status).toBe(409)
  })
})

describe('referral cancel (SERVREQ01 revoked / SERVREQ02 entered-in-error) and re-refer', () => {
  it('revokes the referral of the conversation, keeps every version, decouples but does not cancel its booking', async () => {
    const p = patient()
    const correlationId = crypto.randomUUID()
    const booked = await send(freshBooking({ now: new Date(), slotId: await newSlot(1), patient: p }), { correlationId })
    const appointmentId = entryOf(booked.body, 'Appointment').id
    const srId = entryOf((await send(referralFor(p, appointmentId), { correlationId })).body, 'ServiceRequest').id

    const cancel = await send(freshReferralCancel({ now: new Date(), reason: 'Caller went to GP instead', patient: p }), { correlationId })
    expect(cancel.status).toBe(200)
    expect(entryOf(cancel.body, 'ServiceRequest').id).toBe(srId)
    expectValidFhir(cancel.body as Bundle)

    const referral = await prisma().referral.findUniqueOrThrow({ where: { id: srId }, include: { versions: { orderBy: { version: 'asc' } } } })
    expect(referral).toMatchObject({ fhirStatus: 'revoked', state: 'CANCELLED', cancelReason: 'Caller went to GP instead' })
    expect(referral.versions.map((v) => v.fhirStatus)).toEqual(['active', 'revoked'])
    const booking = await prisma().booking.findUniqueOrThrow({ where: { id: appointmentId } })
    expect(booking).toMatchObject({ status: 'booked', referralId: null })
    expect(await prisma().liveEvent.count({ where: { type: 'referral.updated', entityId: srId } })).toBeGreaterThanOrEqual(1)
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'referral.cancel', entityId: srId } })
    expect(audit.detail).toMatchObject({ matchedBy: 'X-Correlation-Id and patient', decoupledBookingIds: [appointmentId] })
  })

  it('entered-in-error (reason delete, no MessageHeader.definition) by our ServiceRequest id', async () => {
    const p = patient()
    const srId = entryOf((await send(referralFor(p))).body, 'ServiceRequest').id
    const res = await send(freshReferralCancel({ now: new Date(), status: 'entered-in-error', serviceRequestId: srId, patient: p }))
    expect(res.status).toBe(200)
    expect((await prisma().referral.findUniqueOrThrow({ where: { id: srId } })).fhirStatus).toBe('entered-in-error')
  })

  it('matches ServiceRequest.identifier when nothing else does', async () => {
    const p = patient()
    const ref = referralFor(p)
    const sr = ref.entry!.find((e) => e.resource?.resourceType === 'ServiceRequest')!.resource as any
    sr.identifier = [{ system: 'https://sender.example.nhs.uk/Id/referral', value: `REF-${crypto.randomUUID()}` }]
    const srId = entryOf((await send(ref)).body, 'ServiceRequest').id
    const cancel = freshReferralCancel({ now: new Date(), patient: { nhsNumber: null, family: p.family, birthDate: p.birthDate } }) as any
    entryOf(cancel, 'ServiceRequest').identifier = sr.identifier
    expect((await send(cancel)).status).toBe(200)
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'referral.cancel', entityId: srId } })
    expect(audit.detail).toMatchObject({ matchedBy: 'ServiceRequest.identifier / Encounter.identifier' })
  })

  it('refuses a cancellation for another patient (400) and one for a referral already cancelled (409)', async () => {
    const p = patient()
    const srId = entryOf((await send(referralFor(p))).body, 'ServiceRequest').id
    const wrong = await send(freshReferralCancel({ now: new Date(), serviceRequestId: srId, patient: patient() }))
    expect(wrong.status).toBe(400)
    expect(wrong.body.issue[0].diagnostics).toContain('patient')
    expect((await send(freshReferralCancel({ now: new Date(), serviceRequestId: srId, patient: p }))).status).toBe(200)
    const again = await send(freshReferralCancel({ now: new Date(), serviceRequestId: srId, patient: p }))
    expect(again.status).toBe(409)
    expect(again.codes).toEqual({ rec: 'REC_CONFLICT', issue: 'conflict' })
  })

  it('cancel a referral that does not exist → 400 (TKW stateful 111→ED)', async () => {
    const res = await send(freshReferralCancel({ now: new Date(), patient: patient() }))
    expect(res.status).toBe(400)
    expect(res.codes).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'invariant' })
  })

  it('refuses a cancellation older than our last change of the referral (409)', async () => {
    const p = patient()
    const correlationId = crypto.randomUUID()
    expect((await send(referralFor(p), { correlationId })).status).toBe(200)
    const stale = await send(freshReferralCancel({ now: new Date(Date.now() - 3_600_000), patient: p }), { correlationId })
    expect(stale.status).toBe(409)
    expect(stale.body.issue[0].expression).toEqual(['ServiceRequest.meta.lastUpdated'])
  })

  it('re-refer = revoke, then a new referral in the same conversation; referral twice without revoking → 409', async () => {
    const p = patient()
    const correlationId = crypto.randomUUID()
    const first = entryOf((await send(referralFor(p), { correlationId })).body, 'ServiceRequest').id
    const twice = await send(referralFor(p), { correlationId })
    expect(twice.status).toBe(409)
    expect((await send(freshReferralCancel({ now: new Date(), patient: p }), { correlationId })).status).toBe(200)
    const again = await send(referralFor(p), { correlationId })
    expect(again.status).toBe(200)
    const second = entryOf(again.body, 'ServiceRequest').id
    expect(second).not.toBe(first)
    // a further cancel in the conversation finds the new, current referral
    expect((await send(freshReferralCancel({ now: new Date(), patient: p }), { correlationId })).status).toBe(200)
    const rows = await prisma().referral.findMany({ where: { id: { in: [first, second] } } })
    expect(rows.map((r) => r.fhirStatus)).toEqual(['revoked', 'revoked'])
  })

  it('a cancellation for a use case the service does not take is 422 (SERVREQ01 as published: a4t1 validation)', async () => {
    const res = await send(fixture('SERVREQ01_Service_Request_Update_Revoked.json'))
    expect(res.status).toBe(422)
    expect(res.codes).toEqual({ rec: 'REC_UNPROCESSABLE_ENTITY', issue: 'not-supported' })
  })
})

describe('servicerequest-response addressed to us', () => {
  it('stores and links an answer to a message we sent; an unknown response.identifier is 404', async () => {
    const p = patient()
    const srId = entryOf((await send(referralFor(p))).body, 'ServiceRequest').id
    const sentBundleId = crypto.randomUUID()
    const outbox = await prisma().outboxMessage.create({
      data: {
        targetEndpoint: 'https://fhir.nhs.uk/Id/dos-service-id|2222222222', requestId: crypto.randomUUID(), correlationId: crypto.randomUUID(),
        bundle: { resourceType: 'Bundle', id: sentBundleId, type: 'message' }, referralId: srId, kind: 'dna-feedback',
      },
    })
    const response = fixture<any>('REFRESP01_Referral_Service_Request_Response_New_Full_ED_to_111_Safeguarding_DNA_Feedback.json')
    response.id = crypto.randomUUID()
    const header = response.entry[0].resource
    header.destination[0].endpoint = 'https://fhir.nhs.uk/Id/dos-service-id|111111111'
    header.source.endpoint = 'https://fhir.nhs.uk/Id/dos-service-id|2222222222'
    header.response = { identifier: sentBundleId, code: 'ok' }
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const res = await send(response, ids)
    expect(res.status).toBe(200)
    const msg = await prisma().inboundMessage.findUniqueOrThrow({ where: { requestId_correlationId: ids } })
    expect(msg).toMatchObject({ state: 'SUCCEEDED', workflow: 'response', bundleId: response.id })
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'response.receive', entityId: outbox.id } })
    expect(audit.detail).toMatchObject({ inboundMessageId: msg.id, referralId: srId })

    const unknown = structuredClone(response)
    unknown.entry[0].resource.response.identifier = crypto.randomUUID()
    const r404 = await send(unknown)
    expect(r404.status).toBe(404)
    expect(r404.codes).toEqual({ rec: 'REC_NOT_FOUND', issue: 'not-found' })
    expect(r404.body.issue[0].expression).toEqual(['MessageHeader.response.identifier'])
  })
})
