/**
 * One test per receiver error of spec §6.2 that this receiver emits: each is a BaRS OperationOutcome
 * with the right HTTP status, REC_ code and issue code, both transaction ids echoed, and diagnostics
 * free of patient data. (403, 408, 429 and 503 are the proxy's or the platform's, not ours.)
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import * as unknownPath from '@/app/fhir/[...path]/route'
import * as messageDefinition from '@/app/fhir/MessageDefinition/route'
import { POST, PUT } from '@/app/fhir/process-message/route'
import * as serviceRequestById from '@/app/fhir/ServiceRequest/[id]/route'
import { freshBooking, randomNhsNumber } from '@/lib/bars/example-messages'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { referralRepository } from '@/lib/referrals/referral-repository'
import { fhirRequest, fixture, outcomeCodes, readJson, target } from '@/lib/testing/fhir-request'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { seed } from '@/prisma/seed'
import { sqlTransaction } from '@/lib/db/sql'
import { messageRepository } from '@/lib/messages/message-repository'

beforeAll(async () => {
  await seed(new Date())
})
afterEach(() => {
  vi.restoreAllMocks()
})

const NO_PARAMS = { params: Promise.resolve({}) }
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64')

/** Send, then check the common shape of every error answer. */
async function expectOutcome(resP: Promise<Response> | Response, req: Request, status: number, rec: string, issue: string) {
  const res = await resP
  const body = await readJson(res)
  expect(res.status, JSON.stringify(body)).toBe(status)
  expect(outcomeCodes(body)).toEqual({ rec, issue })
  expect(body.resourceType).toBe('OperationOutcome')
  expect(body.issue[0].severity).toBe('error')
  expect(body.issue[0].diagnostics.length).toBeGreaterThan(5)
  expectValidFhir(body as any)
  for (const h of ['x-request-id', 'x-correlation-id']) {
    if (req.headers.get(h)) expect(res.headers.get(h)).toBe(req.headers.get(h))
  }
  return body
}

const referral = () => freshReferral({ now: new Date() })

describe('400 REC_BAD_REQUEST', () => {
  it('invalid: X-Request-Id missing or not a UUID', async () => {
    const req = fhirRequest({ body: referral(), requestId: 'nope' })
    await expectOutcome(POST(req), req, 400, 'REC_BAD_REQUEST', 'invalid')
  })

  it('required: MessageDefinition without context; NHSD-Target-Identifier missing', async () => {
    const req = fhirRequest({ method: 'GET', path: '/fhir/MessageDefinition' })
    await expectOutcome(messageDefinition.GET(req, NO_PARAMS), req, 400, 'REC_BAD_REQUEST', 'required')
    const req2 = fhirRequest({ body: referral(), headers: { 'nhsd-target-identifier': '' } })
    await expectOutcome(POST(req2), req2, 400, 'REC_BAD_REQUEST', 'required')
  })

  it('value: a non-UUID path id', async () => {
    const req = fhirRequest({ method: 'GET', path: '/fhir/ServiceRequest/x' })
    await expectOutcome(serviceRequestById.GET(req, { params: Promise.resolve({ id: 'x' }) }), req, 400, 'REC_BAD_REQUEST', 'value')
  })

  it('invariant: Bundle.meta.versionId missing', async () => {
    const bundle = referral()
    delete bundle.meta!.versionId
    const req = fhirRequest({ body: bundle })
    const body = await expectOutcome(POST(req), req, 400, 'REC_BAD_REQUEST', 'invariant')
    expect(body.issue[0].expression).toEqual(['Bundle.meta.versionId'])
  })

  it('invariant: the bundle breaks the MessageDefinition it names, with a precise diagnostic and expression', async () => {
    const bundle = referral()
    bundle.entry = bundle.entry!.filter((e) => e.resource?.resourceType !== 'Consent')
    const req = fhirRequest({ body: bundle })
    const body = await expectOutcome(POST(req), req, 400, 'REC_BAD_REQUEST', 'invariant')
    expect(body.issue[0].diagnostics).toBe('MessageDefinition bars-message-servicerequest-request-referral requires at least 1 Consent; the Bundle has 0.')
    expect(body.issue[0].expression).toEqual(['Bundle.entry'])
  })

  it('invariant: an unknown combination of workflow variables (booking-response)', async () => {
    const bundle = freshBooking({ now: new Date() }) as any
    bundle.entry[0].resource.eventCoding.code = 'booking-response'
    delete bundle.entry[0].resource.definition
    const req = fhirRequest({ body: bundle })
    const body = await expectOutcome(POST(req), req, 400, 'REC_BAD_REQUEST', 'invariant')
    expect(body.issue[0].diagnostics).toContain('unknown workflow')
  })

  it('invariant: destination.endpoint is one of our services but not the one targeted', async () => {
    await prisma().service.create({ data: { dosServiceId: '333333333', name: 'UTC', odsCode: 'RXX02', useCases: ['a1t2'] } })
    const bundle = referral() as any
    bundle.entry[0].resource.destination[0].endpoint = 'https://fhir.nhs.uk/Id/dos-service-id|333333333'
    const req = fhirRequest({ body: bundle })
    await expectOutcome(POST(req), req, 400, 'REC_BAD_REQUEST', 'invariant')
  })

  it('structure: a body that is not JSON', async () => {
    const req = fhirRequest({ rawBody: '<Bundle/>' })
    await expectOutcome(POST(req), req, 400, 'REC_BAD_REQUEST', 'structure')
  })
})

describe('401 REC_UNAUTHORIZED (never 403)', () => {
  it('a sending service not allowed for the target service', async () => {
    const bundle = referral() as any
    bundle.entry[0].resource.source.endpoint = 'https://fhir.nhs.uk/Id/dos-service-id|3333333333'
    const req = fhirRequest({ body: bundle })
    await expectOutcome(POST(req), req, 401, 'REC_UNAUTHORIZED', 'forbidden')
  })

  it('an end-user organisation the sender is not allowed to act for, on messages and on reads', async () => {
    await prisma().senderSystem.update({ where: { dosServiceId: '2222222222' }, data: { odsCodes: ['NHS111A'] } })
    try {
      const org = b64({ resourceType: 'Organization', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'OTHER1' }] })
      const req = fhirRequest({ body: referral(), headers: { 'nhsd-end-user-organisation': org } })
      await expectOutcome(POST(req), req, 401, 'REC_UNAUTHORIZED', 'forbidden')
      const id = crypto.randomUUID()
      const read = fhirRequest({ method: 'GET', path: `/fhir/ServiceRequest/${id}`, headers: { 'nhsd-end-user-organisation': org } })
      await expectOutcome(serviceRequestById.GET(read, { params: Promise.resolve({ id }) }), read, 401, 'REC_UNAUTHORIZED', 'forbidden')
      const allowed = b64({ resourceType: 'Organization', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'nhs111a' }] })
      expect((await POST(fhirRequest({ body: referral(), headers: { 'nhsd-end-user-organisation': allowed } }))).status).toBe(200)
    } finally {
      await prisma().senderSystem.update({ where: { dosServiceId: '2222222222' }, data: { odsCodes: [] } })
    }
  })
})

describe('404 REC_NOT_FOUND', () => {
  it('NHSD-Target-Identifier names no service of ours (old http and dos-id spellings accepted for ours)', async () => {
    const req = fhirRequest({ body: referral(), headers: { 'nhsd-target-identifier': target('999999999') } })
    await expectOutcome(POST(req), req, 404, 'REC_NOT_FOUND', 'not-found')
    for (const system of ['http://fhir.nhs.uk/Id/dos-service-id', 'https://fhir.nhs.uk/CodeSystem/dos-id']) {
      expect((await POST(fhirRequest({ body: referral(), headers: { 'nhsd-target-identifier': target('111111111', system) } }))).status).toBe(200)
    }
  })

  it('MessageHeader.destination.endpoint names a service we do not run', async () => {
    const bundle = referral() as any
    bundle.entry[0].resource.destination[0].endpoint = 'https://fhir.nhs.uk/Id/dos-service-id|555555599'
    const req = fhirRequest({ body: bundle })
    await expectOutcome(POST(req), req, 404, 'REC_NOT_FOUND', 'not-found')
  })

  it('an unknown resource id', async () => {
    const id = crypto.randomUUID()
    const req = fhirRequest({ method: 'GET', path: `/fhir/ServiceRequest/${id}` })
    await expectOutcome(serviceRequestById.GET(req, { params: Promise.resolve({ id }) }), req, 404, 'REC_NOT_FOUND', 'not-found')
  })

  it('a response whose MessageHeader.response.identifier names no message we sent', async () => {
    const response = fixture<any>('REFRESP01_Referral_Service_Request_Response_New_Full_ED_to_111_Safeguarding_DNA_Feedback.json')
    response.entry[0].resource.destination[0].endpoint = 'https://fhir.nhs.uk/Id/dos-service-id|111111111'
    response.entry[0].resource.source.endpoint = 'https://fhir.nhs.uk/Id/dos-service-id|2222222222'
    response.entry[0].resource.response = { identifier: crypto.randomUUID(), code: 'ok' }
    const req = fhirRequest({ body: response })
    await expectOutcome(POST(req), req, 404, 'REC_NOT_FOUND', 'not-found')
  })
})

describe('405, 406, 413, 415', () => {
  it('405 REC_METHOD_NOT_ALLOWED with Allow', async () => {
    const req = fhirRequest({ method: 'PUT', body: referral() })
    const res = await PUT(req)
    expect(res.headers.get('allow')).toBe('POST')
    await expectOutcome(res, req, 405, 'REC_METHOD_NOT_ALLOWED', 'not-supported')
  })

  it('406 REC_NOT_ACCEPTABLE for a major version we do not serve; a missing version is 1.0.0', async () => {
    const req = fhirRequest({ body: referral(), headers: { accept: 'application/fhir+json; version=2.0.0' } })
    await expectOutcome(POST(req), req, 406, 'REC_NOT_ACCEPTABLE', 'processing')
    expect((await POST(fhirRequest({ body: referral(), headers: { accept: 'application/fhir+json' } }))).status).toBe(200)
  })

  it('413 for a body over the limit', async () => {
    const req = fhirRequest({ rawBody: JSON.stringify({ pad: 'x'.repeat(6 * 1024 * 1024) }) })
    await expectOutcome(POST(req), req, 413, 'REC_BAD_REQUEST', 'too-long')
  })

  it('415 REC_UNSUPPORTED_MEDIA_TYPE for another media type', async () => {
    const req = fhirRequest({ body: referral(), headers: { 'content-type': 'application/xml' } })
    await expectOutcome(POST(req), req, 415, 'REC_UNSUPPORTED_MEDIA_TYPE', 'not-supported')
  })
})

describe('409 REC_CONFLICT', () => {
  it('duplicate: the same X-Request-Id and X-Correlation-Id already processed — stored once', async () => {
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const bundle = referral()
    expect((await POST(fhirRequest({ body: bundle, ...ids }))).status).toBe(200)
    const count = await prisma().referral.count()
    const req = fhirRequest({ body: bundle, ...ids })
    await expectOutcome(POST(req), req, 409, 'REC_CONFLICT', 'duplicate')
    expect(await prisma().referral.count()).toBe(count)
  })

  it('conflict: a slot that is no longer free', async () => {
    const service = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: '111111111' } })
    const start = new Date(Date.now() + 48 * 3_600_000)
    const slot = await prisma().slot.create({ data: { serviceId: service.id, start, end: new Date(start.getTime() + 1_800_000), capacity: 1, booked: 1 } })
    const req = fhirRequest({ body: freshBooking({ now: new Date(), slotId: slot.id }) })
    await expectOutcome(POST(req), req, 409, 'REC_CONFLICT', 'conflict')
  })
})

describe('422 REC_UNPROCESSABLE_ENTITY', () => {
  it('not-supported: an Application version we do not accept', async () => {
    const bundle = referral()
    bundle.meta!.versionId = '9.0.0'
    const req = fhirRequest({ body: bundle })
    const body = await expectOutcome(POST(req), req, 422, 'REC_UNPROCESSABLE_ENTITY', 'not-supported')
    expect(body.issue[0].expression).toEqual(['Bundle.meta.versionId'])
  })

  it('not-supported: a use case the service does not take', async () => {
    const bundle = freshBooking({ now: new Date() }) as any
    bundle.entry[1].resource.serviceCategory[0].coding[0].code = 'a7t1'
    const req = fhirRequest({ body: bundle })
    const body = await expectOutcome(POST(req), req, 422, 'REC_UNPROCESSABLE_ENTITY', 'not-supported')
    expect(body.issue[0].expression).toEqual(['Appointment.serviceCategory'])
  })
})

describe('425 REC_TOO_EARLY', () => {
  it('a retry while the first attempt is still being processed', async () => {
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const service = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: '111111111' } })
    // The first attempt has claimed the ids and its transaction is still open.
    const first = { ...ids, serviceId: service.id, headers: {}, rawBundle: referral() }
    await sqlTransaction(async (tx) => {
      expect((await messageRepository.claim(tx, first)).kind).toBe('started')
      const req = fhirRequest({ body: referral(), ...ids })
      await expectOutcome(POST(req), req, 425, 'REC_TOO_EARLY', 'duplicate')
      throw new Error('first attempt abandoned')
    }).catch((e: Error) => expect(e.message).toBe('first attempt abandoned'))
    // It never committed: the retry is processed afresh.
    expect((await POST(fhirRequest({ body: referral(), ...ids }))).status).toBe(200)
  })
})

describe('5xx: only for our own failures', () => {
  it('500 REC_SERVER_ERROR without details; the attempt is forgotten so the retry is processed', async () => {
    const nhs = randomNhsNumber()
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const bundle = freshReferral({ now: new Date(), nhsNumber: nhs })
    vi.spyOn(referralRepository, 'create').mockRejectedValueOnce(new Error(`db exploded for ${nhs}`))
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const req = fhirRequest({ body: bundle, ...ids })
    const body = await expectOutcome(POST(req), req, 500, 'REC_SERVER_ERROR', 'exception')
    expect(JSON.stringify(body)).not.toContain(nhs)
    expect((await POST(fhirRequest({ body: bundle, ...ids }))).status).toBe(200)
  })

  it('501 REC_NOT_IMPLEMENTED for an endpoint advertised but not served here; other paths 404', async () => {
    const req = fhirRequest({ method: 'GET', path: '/fhir/Slot?status=free' })
    await expectOutcome(unknownPath.GET(req), req, 501, 'REC_NOT_IMPLEMENTED', 'not-supported')
    const req2 = fhirRequest({ method: 'GET', path: '/fhir/slot' })
    await expectOutcome(unknownPath.GET(req2), req2, 404, 'REC_NOT_FOUND', 'not-found')
  })

  it('diagnostics carry no patient data', async () => {
    const nhs = randomNhsNumber()
    const bundle = freshReferral({ now: new Date(), nhsNumber: nhs, family: 'Uniquefamilyname' }) as any
    bundle.entry.find((e: any) => e.resource.resourceType === 'ServiceRequest').resource.supportingInfo.push({ reference: `Appointment/${crypto.randomUUID()}` })
    const res = await POST(fhirRequest({ body: bundle }))
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text).not.toContain(nhs)
    expect(text).not.toContain('Uniquefamilyname')
  })
})
