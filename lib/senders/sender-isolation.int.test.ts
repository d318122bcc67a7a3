/**
 * Sender isolation on the FHIR API (issue 9, item 5), through the real route handlers: a sender with
 * its own valid token cannot read or find another sender's referral or booking, and cannot search
 * the Slots of a service it is not linked to. A record it may not see answers exactly like a
 * missing one. Calls through the proxy are scoped by NHSD-End-User-Organisation (docs/security.md).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as appointmentById from '@/app/fhir/Appointment/[id]/route'
import * as appointmentSearch from '@/app/fhir/Appointment/route'
import { POST } from '@/app/fhir/process-message/route'
import * as serviceRequestById from '@/app/fhir/ServiceRequest/[id]/route'
import * as serviceRequestSearch from '@/app/fhir/ServiceRequest/route'
import * as slots from '@/app/fhir/Slot/route'
import { freshBooking, randomNhsNumber } from '@/lib/bars/example-messages'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { fhirRequest, outcomeCodes, readJson } from '@/lib/testing/fhir-request'
import { seed } from '@/prisma/seed'
import { hashBearerToken } from './authenticate-sender'

const TOKEN_A = 'sender-a-token-0123456789abcdef' // the demo NHS 111, 2222222222
const TOKEN_B = 'sender-b-token-0123456789abcdef' // another 111 linked to the same ED, 3333333333
const TOKEN_C = 'sender-c-token-0123456789abcdef' // a registered sender not linked to the ED, 4444444444
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64')
const org = (ods: string) => b64({ resourceType: 'Organization', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: ods }] })
const bearer = (t: string) => ({ authorization: `Bearer ${t}` })

type THandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>
async function get(handler: THandler, path: string, headers: Record<string, string>, params: Record<string, string> = {}) {
  const res = await handler(fhirRequest({ method: 'GET', path, headers }), { params: Promise.resolve(params) })
  return { status: res.status, body: await readJson(res) }
}
const entryOf = (bundle: Record<string, any>, type: string) => bundle.entry.find((e: any) => e.resource.resourceType === type).resource
const asSender = (bundle: any, dosId: string) => {
  bundle.entry[0].resource.source.endpoint = `https://fhir.nhs.uk/Id/dos-service-id|${dosId}`
  return bundle
}
const nhsToken = (nhs: string) => encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhs}`)

const readReferral = (id: string, headers: Record<string, string>) => get(serviceRequestById.GET, `/fhir/ServiceRequest/${id}`, headers, { id })
const findReferrals = (nhs: string, headers: Record<string, string>) => get(serviceRequestSearch.GET, `/fhir/ServiceRequest?patient:identifier=${nhsToken(nhs)}`, headers)
const readBooking = (id: string, headers: Record<string, string>) => get(appointmentById.GET, `/fhir/Appointment/${id}`, headers, { id })
const findBookings = (nhs: string, headers: Record<string, string>) => get(appointmentSearch.GET, `/fhir/Appointment?patient:identifier=${nhsToken(nhs)}`, headers)
function slotQuery() {
  const p = new URLSearchParams()
  p.append('status', 'free')
  p.append('start', `ge${new Date(Date.now() + 86_400_000).toISOString()}`)
  p.append('start', `le${new Date(Date.now() + 2 * 86_400_000).toISOString()}`)
  p.append('Schedule.actor:HealthcareService', '111111111')
  p.append('_include', 'Slot:schedule')
  p.append('_include', 'Schedule:actor:HealthcareService')
  return `/fhir/Slot?${p}`
}

const nhsA = randomNhsNumber()
const nhsB = randomNhsNumber()
let referralA: string
let bookingA: string
let referralB: string

beforeAll(async () => {
  await seed(new Date())
  const service = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: '111111111' } })
  await prisma().senderSystem.update({ where: { dosServiceId: '2222222222' }, data: { bearerTokenHash: hashBearerToken(TOKEN_A) } })
  await prisma().senderSystem.create({ data: { name: 'Other 111', kind: 'NHS111', dosServiceId: '3333333333', odsCodes: [], bearerTokenHash: hashBearerToken(TOKEN_B), services: { create: { serviceId: service.id } } } })
  await prisma().senderSystem.create({ data: { name: 'Unlinked CAS', kind: 'CAS', dosServiceId: '4444444444', odsCodes: [], bearerTokenHash: hashBearerToken(TOKEN_C) } })

  const a = await POST(fhirRequest({ body: freshReferral({ now: new Date(), nhsNumber: nhsA }), headers: bearer(TOKEN_A) }))
  expect(a.status).toBe(200)
  referralA = entryOf(await readJson(a), 'ServiceRequest').id
  const booked = await POST(fhirRequest({ body: freshBooking({ now: new Date(), patient: { nhsNumber: nhsA } }), headers: bearer(TOKEN_A) }))
  expect(booked.status).toBe(200)
  bookingA = entryOf(await readJson(booked), 'Appointment').id
  const b = await POST(fhirRequest({ body: asSender(freshReferral({ now: new Date(), nhsNumber: nhsB }), '3333333333'), headers: bearer(TOKEN_B) }))
  expect(b.status).toBe(200)
  referralB = entryOf(await readJson(b), 'ServiceRequest').id
})

describe('a directly authenticated sender sees its own messages only', () => {
  it('its own referral and booking: read by id and found by NHS number', async () => {
    expect((await readReferral(referralA, bearer(TOKEN_A))).body).toMatchObject({ resourceType: 'ServiceRequest', id: referralA })
    expect((await findReferrals(nhsA, bearer(TOKEN_A))).body).toMatchObject({ type: 'searchset', total: 1, entry: [{ resource: { id: referralA } }] })
    expect((await readBooking(bookingA, bearer(TOKEN_A))).body).toMatchObject({ resourceType: 'Appointment', id: bookingA })
    expect((await findBookings(nhsA, bearer(TOKEN_A))).body).toMatchObject({ type: 'searchset', total: 1 })
  })

  it('another sender linked to the same service cannot read or find them: exactly the answers for a record that does not exist', async () => {
    const missing = await readReferral(crypto.randomUUID(), bearer(TOKEN_B))
    const hidden = await readReferral(referralA, bearer(TOKEN_B))
    expect(hidden.status).toBe(404)
    expect(outcomeCodes(hidden.body)).toEqual({ rec: 'REC_NOT_FOUND', issue: 'not-found' })
    expect({ ...hidden.body, id: undefined }).toEqual({ ...missing.body, id: undefined })
    expect((await findReferrals(nhsA, bearer(TOKEN_B))).body).toMatchObject({ type: 'searchset', total: 0 })

    const hiddenBooking = await readBooking(bookingA, bearer(TOKEN_B))
    expect(hiddenBooking.status).toBe(404)
    expect(outcomeCodes(hiddenBooking.body).rec).toBe('REC_NOT_FOUND')
    expect((await findBookings(nhsA, bearer(TOKEN_B))).body).toMatchObject({ type: 'searchset', total: 0 })
    // and the other way round
    expect((await readReferral(referralB, bearer(TOKEN_B))).status).toBe(200)
    expect((await readReferral(referralB, bearer(TOKEN_A))).status).toBe(404)
    expect((await findReferrals(nhsB, bearer(TOKEN_A))).body.total).toBe(0)
  })

  it('headers it chooses do not widen what it sees (its identity is the token, not NHSD-End-User-Organisation)', async () => {
    await prisma().senderSystem.update({ where: { dosServiceId: '2222222222' }, data: { odsCodes: ['AAA11'] } })
    try {
      expect((await readReferral(referralA, { ...bearer(TOKEN_B), 'nhsd-end-user-organisation': org('AAA11') })).status).toBe(404)
    } finally {
      await prisma().senderSystem.update({ where: { dosServiceId: '2222222222' }, data: { odsCodes: [] } })
    }
  })

  it('a sender not linked to the service is refused (401) on reads and on GET /Slot; a linked one may search the Slots', async () => {
    for (const r of [await readReferral(referralA, bearer(TOKEN_C)), await findReferrals(nhsA, bearer(TOKEN_C)), await findBookings(nhsA, bearer(TOKEN_C)), await get(slots.GET, slotQuery(), bearer(TOKEN_C))]) {
      expect({ status: r.status, diagnostics: r.body.issue?.[0]?.diagnostics }).toEqual({ status: 401, diagnostics: 'The sending service is not allowed to send to this service.' })
      expect(outcomeCodes(r.body).rec).toBe('REC_UNAUTHORIZED')
    }
    const linked = await get(slots.GET, slotQuery(), bearer(TOKEN_B))
    expect(linked.status).toBe(200)
    expect(linked.body.entry.some((e: any) => e.resource.resourceType === 'Slot')).toBe(true)
  })
})

describe('calls through the proxy (no direct credentials) are scoped by NHSD-End-User-Organisation', () => {
  it('sees the messages of the linked senders that accept its organisation, and nothing else', async () => {
    await prisma().senderSystem.update({ where: { dosServiceId: '2222222222' }, data: { odsCodes: ['AAA11'] } })
    await prisma().senderSystem.update({ where: { dosServiceId: '3333333333' }, data: { odsCodes: ['BBB22'] } })
    try {
      expect((await readReferral(referralA, { 'nhsd-end-user-organisation': org('AAA11') })).status).toBe(200)
      expect((await readReferral(referralB, { 'nhsd-end-user-organisation': org('AAA11') })).status).toBe(404)
      expect((await findReferrals(nhsB, { 'nhsd-end-user-organisation': org('AAA11') })).body.total).toBe(0)
      expect((await readReferral(referralB, { 'nhsd-end-user-organisation': org('BBB22') })).status).toBe(200)
      expect((await readBooking(bookingA, { 'nhsd-end-user-organisation': org('BBB22') })).status).toBe(404)
      // An organisation no sender accepts is refused outright, as before (401).
      expect((await readReferral(referralA, { 'nhsd-end-user-organisation': org('ZZZ99') })).status).toBe(401)
    } finally {
      await prisma().senderSystem.updateMany({ where: { dosServiceId: { in: ['2222222222', '3333333333'] } }, data: { odsCodes: [] } })
    }
  })

  it('a service with no sender list shows proxy callers no records', async () => {
    const service = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: '111111111' } })
    const links = await prisma().serviceSender.findMany({ where: { serviceId: service.id } })
    await prisma().serviceSender.deleteMany({ where: { serviceId: service.id } })
    try {
      expect((await readReferral(referralA, {})).status).toBe(404)
      expect((await findReferrals(nhsA, {})).body.total).toBe(0)
      // while the sender that authenticated directly still sees its own
      expect((await readReferral(referralA, bearer(TOKEN_A))).status).toBe(200)
    } finally {
      await prisma().serviceSender.createMany({ data: links })
    }
  })
})
