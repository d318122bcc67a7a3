import { beforeAll, describe, expect, it } from 'vitest'
import * as appointmentById from '@/app/fhir/Appointment/[id]/route'
import * as appointmentSearch from '@/app/fhir/Appointment/route'
import * as messageDefinition from '@/app/fhir/MessageDefinition/route'
import * as metadata from '@/app/fhir/metadata/route'
import { POST } from '@/app/fhir/process-message/route'
import * as serviceRequestById from '@/app/fhir/ServiceRequest/[id]/route'
import * as serviceRequestSearch from '@/app/fhir/ServiceRequest/route'
import * as unknown from '@/app/fhir/[...path]/route'
import { EXAMPLE_BOOKED_SLOT_ID, freshBooking, freshBookingCancel, freshReferralCancel, randomNhsNumber } from '@/lib/bars/example-messages'
import { prisma } from '@/lib/db/prisma'
import { EXAMPLE_APPOINTMENT_ID } from '@/lib/demo/demo-data'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { fhirRequest, outcomeCodes, readJson, target } from '@/lib/testing/fhir-request'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { seed } from '@/prisma/seed'

beforeAll(async () => {
  await seed(new Date())
})

type THandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>
async function get(handler: THandler, path: string, params: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await handler(fhirRequest({ method: 'GET', path, headers }), { params: Promise.resolve(params) })
  return { res, status: res.status, body: await readJson(res) }
}
const entryOf = (bundle: Record<string, any>, type: string) => bundle.entry.find((e: any) => e.resource.resourceType === type).resource

async function referral(nhsNumber: string, correlationId = crypto.randomUUID()) {
  const b = freshReferral({ now: new Date(), nhsNumber, family: 'Readtest', given: 'Robin' }) as any
  const sr = entryOf(b, 'ServiceRequest')
  sr.identifier = [{ system: 'https://sender.example.nhs.uk/Id/referral', value: `R-${nhsNumber}` }]
  const res = await POST(fhirRequest({ body: b, correlationId }))
  expect(res.status).toBe(200)
  return entryOf(await readJson(res), 'ServiceRequest').id as string
}

describe('GET /fhir/ServiceRequest/{id}', () => {
  it('returns the referral rebuilt from its stored version with our id, current status and detached references', async () => {
    const nhs = randomNhsNumber()
    const id = await referral(nhs)
    const { res, status, body } = await get(serviceRequestById.GET, `/fhir/ServiceRequest/${id}`, { id })
    expect(status).toBe(200)
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(res.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(body).toMatchObject({ resourceType: 'ServiceRequest', id, status: 'active', intent: 'plan', meta: { versionId: '1' } })
    expect(body.subject).toMatchObject({ type: 'Patient', identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }, display: 'Robin Readtest' })
    expect(JSON.stringify(body)).not.toContain('urn:uuid:')
    expectValidFhir(body as any)
  })

  it('shows the current status and cancellation reason after a revoke', async () => {
    const nhs = randomNhsNumber()
    const correlationId = crypto.randomUUID()
    const id = await referral(nhs, correlationId)
    const cancel = freshReferralCancel({ now: new Date(), reason: 'Sent to wrong service', patient: { nhsNumber: nhs } })
    expect((await POST(fhirRequest({ body: cancel, correlationId }))).status).toBe(200)
    const { body } = await get(serviceRequestById.GET, `/fhir/ServiceRequest/${id}`, { id })
    expect(body).toMatchObject({ id, status: 'revoked', reasonCode: [{ text: 'Sent to wrong service' }], meta: { versionId: '2' } })
    // content still from the referral, not the bare cancellation
    expect(body.occurrencePeriod).toBeDefined()
    expectValidFhir(body as any)
  })

  it('400 value for a non-UUID id, 404 for an unknown one, 404 for another target service', async () => {
    const bad = await get(serviceRequestById.GET, '/fhir/ServiceRequest/abc', { id: 'abc' })
    expect(bad.status).toBe(400)
    expect(outcomeCodes(bad.body)).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'value' })
    const id = crypto.randomUUID()
    const missing = await get(serviceRequestById.GET, `/fhir/ServiceRequest/${id}`, { id })
    expect(missing.status).toBe(404)
    expect(outcomeCodes(missing.body)).toEqual({ rec: 'REC_NOT_FOUND', issue: 'not-found' })
    const other = await get(serviceRequestById.GET, `/fhir/ServiceRequest/${id}`, { id }, { 'nhsd-target-identifier': target('999999999') })
    expect(other.status).toBe(404)
  })
})

describe('GET /fhir/ServiceRequest?…', () => {
  it('finds by NHS number (URL-encoded token), by ServiceRequest.identifier and by name + birth date + postcode', async () => {
    const nhs = randomNhsNumber()
    const id = await referral(nhs)
    const token = encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhs}`)
    const byNhs = await get(serviceRequestSearch.GET, `/fhir/ServiceRequest?patient:identifier=${token}`)
    expect(byNhs.status).toBe(200)
    expect(byNhs.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 })
    expect(byNhs.body.entry[0]).toMatchObject({ resource: { id }, search: { mode: 'match' } })
    expect(byNhs.body.entry[0].fullUrl).toMatch(new RegExp(`/fhir/ServiceRequest/${id}$`))
    expectValidFhir(byNhs.body as any)

    const byIdentifier = await get(serviceRequestSearch.GET, `/fhir/ServiceRequest?identifier=${encodeURIComponent(`https://sender.example.nhs.uk/Id/referral|R-${nhs}`)}`)
    expect(byIdentifier.body.entry.map((e: any) => e.resource.id)).toEqual([id])

    // REFREQ01's patient: born 1959-05-04, postcode LS10 4YU
    const demo = await get(serviceRequestSearch.GET, '/fhir/ServiceRequest?patient:name=readtest&patient:birthdate=eq1959-05-04&patient:address-postalcode=ls104yu')
    expect(demo.body.entry.map((e: any) => e.resource.id)).toContain(id)
    const wrongPostcode = await get(serviceRequestSearch.GET, '/fhir/ServiceRequest?patient:name=readtest&patient:birthdate=1959-05-04&patient:address-postalcode=ZZ1 1ZZ')
    expect(wrongPostcode.body.total).toBe(0)
    expect(wrongPostcode.body.entry).toEqual([])
  })

  it('400 for missing or malformed criteria', async () => {
    const none = await get(serviceRequestSearch.GET, '/fhir/ServiceRequest')
    expect(none.status).toBe(400)
    expect(outcomeCodes(none.body)).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'required' })
    const partial = await get(serviceRequestSearch.GET, '/fhir/ServiceRequest?patient:name=jones')
    expect(outcomeCodes(partial.body).issue).toBe('required')
    const badNhs = await get(serviceRequestSearch.GET, `/fhir/ServiceRequest?patient:identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|12')}`)
    expect(outcomeCodes(badNhs.body)).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'value' })
    const badSystem = await get(serviceRequestSearch.GET, `/fhir/ServiceRequest?patient:identifier=${encodeURIComponent('https://example.org|9449305552')}`)
    expect(outcomeCodes(badSystem.body).issue).toBe('value')
    const badDate = await get(serviceRequestSearch.GET, '/fhir/ServiceRequest?patient:name=a&patient:birthdate=04/05/1959&patient:address-postalcode=LS1')
    expect(outcomeCodes(badDate.body).issue).toBe('value')
  })
})

describe('GET /fhir/Appointment', () => {
  it('reads a booking made through the API with our id, status, slot, created and referral link', async () => {
    const nhs = randomNhsNumber()
    const correlationId = crypto.randomUUID()
    const booked = await POST(fhirRequest({ body: freshBooking({ now: new Date(), patient: { nhsNumber: nhs } }), correlationId }))
    expect(booked.status).toBe(200)
    const id = entryOf(await readJson(booked), 'Appointment').id
    const { status, body } = await get(appointmentById.GET, `/fhir/Appointment/${id}`, { id })
    expect(status).toBe(200)
    expect(body).toMatchObject({ resourceType: 'Appointment', id, status: 'booked', slot: [{ reference: `Slot/${EXAMPLE_BOOKED_SLOT_ID}` }] })
    expect(body.participant[0]).toMatchObject({ status: 'accepted', actor: { identifier: { value: nhs } } })
    const slot = await prisma().slot.findUniqueOrThrow({ where: { id: EXAMPLE_BOOKED_SLOT_ID } })
    expect(body.start).toBe(slot.start.toISOString())
    expectValidFhir(body as any)

    const token = encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhs}`)
    const search = await get(appointmentSearch.GET, `/fhir/Appointment?patient:identifier=${token}`)
    expect(search.body).toMatchObject({ type: 'searchset', total: 1, entry: [{ resource: { id }, search: { mode: 'match' } }] })
    expectValidFhir(search.body as any)

    expect((await POST(fhirRequest({ body: freshBookingCancel({ now: new Date(), patient: { nhsNumber: nhs } }), correlationId }))).status).toBe(200)
    const after = await get(appointmentById.GET, `/fhir/Appointment/${id}`, { id })
    expect(after.body).toMatchObject({ status: 'cancelled', meta: { versionId: '2' } })
    expectValidFhir(after.body as any)
  })

  it('reads the seeded booking (no stored bundle) and finds it by demographics', async () => {
    const { status, body } = await get(appointmentById.GET, `/fhir/Appointment/${EXAMPLE_APPOINTMENT_ID}`, { id: EXAMPLE_APPOINTMENT_ID })
    expect(status).toBe(200)
    expect(body).toMatchObject({ id: EXAMPLE_APPOINTMENT_ID, status: 'booked' })
    expectValidFhir(body as any)
    const demo = await get(appointmentSearch.GET, '/fhir/Appointment?patient:name=Jul&patient:birthdate=1959-05-04&patient:address-postalcode=LS10%204YU')
    expect(demo.body.entry.map((e: any) => e.resource.id)).toContain(EXAMPLE_APPOINTMENT_ID)
  })

  it('400 value for a non-UUID id, 404 for an unknown one; identifier is not an Appointment search', async () => {
    expect(outcomeCodes((await get(appointmentById.GET, '/fhir/Appointment/1', { id: '1' })).body)).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'value' })
    const id = crypto.randomUUID()
    expect((await get(appointmentById.GET, `/fhir/Appointment/${id}`, { id })).status).toBe(404)
    expect((await get(appointmentSearch.GET, '/fhir/Appointment?identifier=x')).status).toBe(400)
  })
})

describe('GET /fhir/metadata and /fhir/MessageDefinition', () => {
  it('metadata needs no target identifier and is built from the database at request time', async () => {
    const first = await get(metadata.GET, '/fhir/metadata', {}, { 'nhsd-target-identifier': '' })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ resourceType: 'CapabilityStatement', version: '1.5.0', kind: 'instance' })
    expectValidFhir(first.body as any)
    const received = (b: any) => b.messaging[0].supportedMessage.filter((m: any) => m.mode === 'receiver').map((m: any) => m.definition)
    expect(received(first.body)).not.toContain('https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-validation')
    await prisma().service.update({ where: { dosServiceId: '111111111' }, data: { useCases: { push: 'a4t1' } } })
    try {
      const second = await get(metadata.GET, '/fhir/metadata')
      expect(received(second.body)).toContain('https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-validation')
    } finally {
      const s = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: '111111111' } })
      await prisma().service.update({ where: { id: s.id }, data: { useCases: s.useCases.filter((u) => u !== 'a4t1') } })
    }
    expect((await get(metadata.GET, '/fhir/metadata', {}, { 'nhsd-target-identifier': target('999999999') })).status).toBe(404)
  })

  it('MessageDefinition per service from configuration; 400 without context; 404 for a service not ours', async () => {
    const ok = await get(messageDefinition.GET, `/fhir/MessageDefinition?context=${encodeURIComponent('https://fhir.nhs.uk/Id/dos-service-id|111111111')}`)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' })
    expect(ok.body.entry[0].resource.version).toBe('2.1.0')
    expectValidFhir(ok.body as any)
    await prisma().service.update({ where: { dosServiceId: '111111111' }, data: { maxAppVersion: '2.0.0' } })
    try {
      const changed = await get(messageDefinition.GET, '/fhir/MessageDefinition?context=111111111')
      expect(changed.body.entry[0].resource.version).toBe('2.0.0')
    } finally {
      await prisma().service.update({ where: { dosServiceId: '111111111' }, data: { maxAppVersion: '2.1.0' } })
    }
    const none = await get(messageDefinition.GET, '/fhir/MessageDefinition')
    expect(outcomeCodes(none.body)).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'required' })
    const notOurs = await get(messageDefinition.GET, '/fhir/MessageDefinition?context=999999999')
    expect(notOurs.status).toBe(404)
    expect(outcomeCodes(notOurs.body).rec).toBe('REC_NOT_FOUND')
  })

  it('other verbs get 405 with Allow: GET; unknown paths an OperationOutcome with the ids', async () => {
    const res = await metadata.POST(fhirRequest({ path: '/fhir/metadata', body: {} }), { params: Promise.resolve({}) })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET')
    const req = fhirRequest({ method: 'GET', path: '/fhir/Patient/1' })
    const missing = await unknown.GET(req)
    expect(missing.status).toBe(404)
    expect(missing.headers.get('x-request-id')).toBe(req.headers.get('x-request-id'))
    expect(outcomeCodes(await readJson(missing)).rec).toBe('REC_NOT_FOUND')
  })
})
