import { staffActor, type TStaffActor } from '@/lib/audit/actor'
import type { Appointment, Bundle, Encounter, MessageHeader, ServiceRequest } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { isAppError } from '@/lib/errors/app-error'
import { processMessage } from '@/lib/messages/process-message'
import { serviceRepository } from '@/lib/services/service-repository'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { seed } from '@/prisma/seed'
import { acceptReferral } from './accept-referral'
import { getReferralActivity } from './get-referral-activity'
import { listInbox } from './list-inbox'
import { markDidNotAttend } from './mark-did-not-attend'
import { rebookReferral } from './rebook-referral'
import { rejectReferral } from './reject-referral'
import { viewReferral } from './view-referral'

let clinician: TStaffActor

beforeAll(async () => {
  await seed(new Date())
  const u = await prisma().staffUser.findUniqueOrThrow({ where: { email: 'clinician@demo.nhs.uk' } })
  clinician = staffActor(u)
})

async function receive(opts: Parameters<typeof freshReferral>[0] extends infer T ? Partial<T> : never = {}) {
  const bundle = freshReferral({ now: new Date(), ...opts })
  const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
  const service = (await serviceRepository.findByDosId('111111111'))!
  const reply = await processMessage({ service, ...ids, nhsd: { undecodable: [] }, auditHeaders: {}, body: bundle })
  const sr = reply.entry!.find((e) => e.resource!.resourceType === 'ServiceRequest')!.resource as ServiceRequest
  return { id: sr.id!, bundle, ...ids }
}

async function expectError(p: Promise<unknown>, kind: string) {
  const e = await p.then(() => null, (err: unknown) => err)
  expect(isAppError(e) ? e.kind : e).toBe(kind)
}

const outboxOf = (referralId: string) => prisma().outboxMessage.findMany({ where: { referralId }, orderBy: { createdAt: 'asc' } })

describe('accepting a referral', () => {
  it('moves it to Accepted and writes the interim response, audit row and live event in one go', async () => {
    const r = await receive({ family: 'Acceptor' })
    const events = await prisma().liveEvent.count()
    const result = await acceptReferral({ referralId: r.id, version: 1, actor: clinician })
    expect(result).toMatchObject({ state: 'ACCEPTED', version: 2 })

    const stored = await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })
    expect(stored).toMatchObject({ state: 'ACCEPTED', version: 2, decidedById: clinician.id })
    const [msg] = await outboxOf(r.id)
    expect(msg).toMatchObject({
      kind: 'accept',
      status: 'PENDING',
      correlationId: r.correlationId,
      targetEndpoint: 'https://fhir.nhs.uk/Id/dos-service-id|2222222222',
      targetBaseUrl: 'http://127.0.0.1:4111/fhir',
    })
    expect(msg!.requestId).not.toBe(r.requestId)
    const bundle = msg!.bundle as unknown as Bundle
    const header = bundle.entry![0]!.resource as MessageHeader
    expect(header.response).toEqual({ identifier: r.bundle.id, code: 'ok' })
    expect(header.destination![0]!.endpoint).toBe(stored.sourceEndpoint)
    const focus = bundle.entry!.find((e) => e.fullUrl === header.focus![0]!.reference)!.resource as Encounter
    expect(focus).toMatchObject({ resourceType: 'Encounter', id: stored.encounterId, status: 'in-progress' })
    expectValidFhir(bundle)

    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { entityId: r.id, action: 'referral.accept' } })
    expect(audit).toMatchObject({ actorId: clinician.id, outcome: 'success', correlationId: r.correlationId, requestId: msg!.requestId })
    expect(await prisma().liveEvent.count()).toBe(events + 1)
  })

  it('refuses a second clinician acting on the version they saw, and loses nothing', async () => {
    const r = await receive({ family: 'Twice' })
    await acceptReferral({ referralId: r.id, version: 1, actor: clinician })
    await expectError(rejectReferral({ referralId: r.id, version: 1, reasonCode: 'FC', reasonText: 'no answer', actor: clinician }), 'stale-version')
    expect(await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ state: 'ACCEPTED', version: 2, decisionCode: null })
    expect((await outboxOf(r.id)).map((m) => m.kind)).toEqual(['accept'])
    const refused = await prisma().auditEvent.findFirstOrThrow({ where: { entityId: r.id, action: 'referral.reject' } })
    expect(refused.outcome).toBe('stale-version')
  })

  it('lets exactly one of two simultaneous actions win', async () => {
    const r = await receive({ family: 'Race' })
    const results = await Promise.allSettled([
      acceptReferral({ referralId: r.id, version: 1, actor: clinician }),
      rejectReferral({ referralId: r.id, version: 1, reasonCode: 'RRNA', reasonText: '', actor: clinician }),
    ])
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1)
    expect(await outboxOf(r.id)).toHaveLength(1)
    expect((await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })).version).toBe(2)
  })

  it('refuses illegal transitions (did not attend before acceptance)', async () => {
    const r = await receive({ family: 'Illegal' })
    await expectError(markDidNotAttend({ referralId: r.id, version: 1, actor: clinician }), 'conflict')
    expect(await outboxOf(r.id)).toEqual([])
  })
})

describe('rejecting a referral', () => {
  it('stores the coded reason and sends the interim rejection (Encounter cancelled + reasonCode)', async () => {
    const r = await receive({ family: 'Rejected' })
    await rejectReferral({ referralId: r.id, version: 1, reasonCode: 'RRNA', reasonText: 'No paediatric cover', actor: clinician })
    expect(await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ state: 'REJECTED', decisionCode: 'RRNA', decisionText: 'No paediatric cover' })
    const bundle = (await outboxOf(r.id))[0]!.bundle as unknown as Bundle
    const enc = bundle.entry!.map((e) => e.resource!).find((x) => x.resourceType === 'Encounter' && x.status === 'cancelled') as Encounter
    expect(enc.reasonCode![0]).toMatchObject({ coding: [{ code: 'RRNA' }], text: 'No paediatric cover' })
  })

  it('needs words when the reason is Other', async () => {
    const r = await receive({ family: 'Other' })
    await expectError(rejectReferral({ referralId: r.id, version: 1, reasonCode: 'OTH', reasonText: '  ', actor: clinician }), 'invalid')
  })
})

describe('booking another window', () => {
  it('takes a place in the new window, frees the old one and sends both Appointments', async () => {
    const r = await receive({ family: 'Rebook' })
    const service = await prisma().service.findFirstOrThrow({ where: { dosServiceId: '111111111' } })
    const [first, second] = await prisma().slot.findMany({ where: { serviceId: service.id, start: { gt: new Date() }, booked: 0 }, orderBy: { start: 'asc' }, take: 2 })
    await rebookReferral({ referralId: r.id, version: 1, slotId: first!.id, actor: clinician })
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: first!.id } })).booked).toBe(1)
    await rebookReferral({ referralId: r.id, version: 2, slotId: second!.id, actor: clinician })
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: first!.id } })).booked).toBe(0)
    expect((await prisma().slot.findUniqueOrThrow({ where: { id: second!.id } })).booked).toBe(1)
    const bookings = await prisma().booking.findMany({ where: { referralId: r.id }, orderBy: { createdAt: 'asc' } })
    expect(bookings.map((b) => b.status)).toEqual(['cancelled', 'booked'])
    const last = (await outboxOf(r.id)).at(-1)!.bundle as unknown as Bundle
    const appts = last.entry!.map((e) => e.resource!).filter((x): x is Appointment => x.resourceType === 'Appointment')
    expect(appts.map((a) => [a.id, a.status])).toEqual([
      [bookings[1]!.id, 'booked'],
      [bookings[0]!.id, 'cancelled'],
    ])
    expect(await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ state: 'BOOKED', version: 3 })
  })

  it('refuses a full window and changes nothing', async () => {
    const r = await receive({ family: 'Full' })
    const slot = await prisma().slot.findFirstOrThrow({ where: { start: { gt: new Date() }, booked: 0 }, orderBy: { start: 'desc' } })
    await prisma().slot.update({ where: { id: slot.id }, data: { booked: slot.capacity } })
    await expectError(rebookReferral({ referralId: r.id, version: 1, slotId: slot.id, actor: clinician }), 'conflict')
    expect(await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ state: 'NEW', version: 1 })
    expect(await outboxOf(r.id)).toEqual([])
  })
})

describe('did not attend', () => {
  it('sends safeguarding DNA feedback (REFRESP01 shape) for a safeguarding-flagged patient', async () => {
    const r = await receive({ family: 'Safeguarded' })
    await acceptReferral({ referralId: r.id, version: 1, actor: clinician })
    await markDidNotAttend({ referralId: r.id, version: 2, actor: clinician })
    const [, dna] = await outboxOf(r.id)
    expect(dna!.kind).toBe('dna-safeguarding-feedback')
    const bundle = dna!.bundle as unknown as Bundle
    const header = bundle.entry![0]!.resource as MessageHeader
    expect(header.definition).toBe('https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-referral')
    const kinds = bundle.entry!.map((e) => e.resource!).map((x) => `${x.resourceType}:${(x as { status?: string }).status ?? ''}`)
    expect(kinds).toContain('ServiceRequest:revoked')
    expect(kinds).toContain('Appointment:noshow')
    expectValidFhir(bundle)
    expect(await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ state: 'DID_NOT_ATTEND' })
  })

  it('uses the plain DNA feedback kind when there is no safeguarding flag', async () => {
    const r = await receive({ family: 'Plain', safeguarding: false })
    await acceptReferral({ referralId: r.id, version: 1, actor: clinician })
    await markDidNotAttend({ referralId: r.id, version: 2, actor: clinician })
    expect((await outboxOf(r.id)).map((m) => m.kind)).toEqual(['accept', 'dna-feedback'])
  })
})

describe('viewing and listing', () => {
  it('audits exactly one row per view, and none for reading the activity', async () => {
    const r = await receive({ family: 'Viewed', nhsNumber: null })
    const count = () => prisma().auditEvent.count({ where: { entityId: r.id, action: 'referral.view' } })
    const found = await viewReferral(r.id, { userId: clinician.id })
    expect(found.view!.patient.nhsNumber).toBeUndefined()
    expect(await count()).toBe(1)
    const activity = await getReferralActivity(r.id)
    expect(await count()).toBe(1)
    expect(activity.trail.map((t) => t.what)).toContain('Viewed')
    expect(activity.allowed).toEqual(['accept', 'reject', 'rebook'])
  })

  it('lists new referrals by time left, searches by name or NHS number, and counts per state', async () => {
    const now = new Date()
    const late = await receive({ family: 'Zulu', deadlineMinutes: 300, nhsNumber: '9449304130' })
    const soon = await receive({ family: 'Yankee', deadlineMinutes: 2 })
    const all = await listInbox({}, now)
    const order = all.items.map((i) => i.id)
    expect(order.indexOf(soon.id)).toBeLessThan(order.indexOf(late.id))
    expect(all.items.every((i) => i.state === 'NEW')).toBe(true)
    expect(all.items.find((i) => i.id === late.id)).toMatchObject({ nhsNumber: '944 930 4130', sender: { kind: '111' }, safeguarding: true })
    expect((await listInbox({ q: 'zulu' })).items.map((i) => i.id)).toEqual([late.id])
    expect((await listInbox({ q: '944 930 4130' })).items.map((i) => i.id)).toEqual([late.id])
    expect(all.counts.ACCEPTED).toBeGreaterThan(0)
    expect((await listInbox({ state: 'accepted' })).items.every((i) => i.state === 'ACCEPTED')).toBe(true)
    expect(Number(all.cursor)).toBeGreaterThan(0)
  })

  it('gives each service its own list', async () => {
    const demo = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: '111111111' }, include: { senders: true } })
    await prisma().service.create({
      data: { dosServiceId: '333333333', name: 'Urgent Treatment Centre', odsCode: 'RXX02', useCases: ['a1t1'], senders: { create: demo.senders.map((l) => ({ senderId: l.senderId })) } },
    })
    const bundle = freshReferral({ now: new Date(), family: 'Utcpatient' }) as any
    bundle.entry[0].resource.destination[0].endpoint = 'https://fhir.nhs.uk/Id/dos-service-id|333333333'
    const utc = (await serviceRepository.findByDosId('333333333'))!
    await processMessage({ service: utc, requestId: crypto.randomUUID(), correlationId: crypto.randomUUID(), nhsd: { undecodable: [] }, auditHeaders: {}, body: bundle })
    const ed = await receive({ family: 'Edpatient' })

    const utcList = await listInbox({ service: '333333333' })
    expect(utcList.items.map((i) => i.patientName)).toEqual(['Julie UTCPATIENT'])
    expect((await listInbox({ service: '111111111' })).items.map((i) => i.id)).toContain(ed.id)
    expect((await listInbox({ service: '111111111' })).items.map((i) => i.patientName)).not.toContain('Julie UTCPATIENT')
    expect(utcList.filters.services.map((x) => x.id).sort()).toEqual(['111111111', '333333333'])
  })
})
