import { beforeAll, describe, expect, it } from 'vitest'
import { POST, GET } from '@/app/fhir/process-message/route'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { fhirRequest, fixture, outcomeCodes, readJson, target } from '@/lib/testing/fhir-request'
import { seed } from '@/prisma/seed'
import { versionBundle } from '@/lib/referrals/version-bundle'

const REFREQ01 = 'REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json'

beforeAll(async () => {
  await seed(new Date())
})

async function counts() {
  const db = prisma()
  return { referrals: await db.referral.count(), versions: await db.referralVersion.count() }
}

describe('POST /fhir/$process-message — referral intake', () => {
  it('stores the real 111→ED referral and answers 200 with receiver ids and a planned Encounter', async () => {
    const before = await counts()
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const res = await POST(fhirRequest({ body: fixture(REFREQ01), ...ids }))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBe(ids.requestId)
    expect(res.headers.get('x-correlation-id')).toBe(ids.correlationId)
    expect(res.headers.get('content-type')).toContain('application/fhir+json')
    const reply = await readJson(res)
    expect(reply.resourceType).toBe('Bundle')
    expect(reply.id).toBe('79120f41-a431-4f08-bcc5-1e67006fcae0')
    for (const e of reply.entry) expect(e.resource.id).toMatch(/^[0-9a-f-]{36}$/)
    const sr = reply.entry.find((e: any) => e.resource.resourceType === 'ServiceRequest').resource
    const planned = reply.entry.at(-1).resource
    expect(planned).toMatchObject({ resourceType: 'Encounter', status: 'planned' })
    expect(planned.identifier[0].value).toMatch(/^ED-\d{6}$/)

    const stored = await prisma().referral.findUniqueOrThrow({ where: { id: sr.id }, include: { versions: { include: { message: true } }, bookings: true } })
    expect(stored).toMatchObject({
      caseReference: planned.identifier[0].value,
      patientFamily: 'Jones',
      patientNhsNumber: '3478526985',
      // The example's safeguarding flag ended on 20 November 2021: received today it is expired (the page lists it so).
      safeguarding: false,
      flagCount: 2,
      useCase: 'a1t1',
      correlationId: ids.correlationId,
      bundleId: '79120f41-a431-4f08-bcc5-1e67006fcae0',
    })
    expect(stored.versions).toHaveLength(1)
    // Stored once: the version points at the message's bundle instead of copying it.
    expect(stored.versions[0]!.bundle).toBeNull()
    expect((versionBundle(stored.versions[0]!) as any).id).toBe('79120f41-a431-4f08-bcc5-1e67006fcae0')
    // REFREQ01 names the booking made first: it is now linked.
    expect(stored.bookings.map((b) => b.id)).toEqual(['3cac9cde-a262-42b3-bcf1-215ab79c3e37'])
    const after = await counts()
    expect(after.referrals).toBe(before.referrals + 1)
    const msg = await prisma().inboundMessage.findUniqueOrThrow({ where: { requestId_correlationId: ids } })
    expect(msg).toMatchObject({ state: 'SUCCEEDED', workflow: 'referral-new', eventCode: 'servicerequest-request', reasonCode: 'new' })
  })

  it('rejects a request without X-Request-Id with 400 REC_BAD_REQUEST, echoes the correlation id and stores nothing', async () => {
    const before = await counts()
    const correlationId = crypto.randomUUID()
    const res = await POST(fhirRequest({ body: freshReferral({ now: new Date() }), requestId: null, correlationId }))
    expect(res.status).toBe(400)
    expect(res.headers.get('x-correlation-id')).toBe(correlationId)
    const body = await readJson(res)
    expect(body.resourceType).toBe('OperationOutcome')
    expect(body.issue[0].details.coding[0].system).toBe('https://fhir.nhs.uk/Codesystem/http-error-codes')
    expect(outcomeCodes(body)).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'invalid' })
    expect(await counts()).toEqual(before)
  })

  it('rejects a non-UUID X-Correlation-Id and echoes it unchanged', async () => {
    const requestId = crypto.randomUUID()
    const res = await POST(fhirRequest({ body: freshReferral({ now: new Date() }), requestId, correlationId: 'not-a-uuid' }))
    expect(res.status).toBe(400)
    expect(res.headers.get('x-request-id')).toBe(requestId)
    expect(res.headers.get('x-correlation-id')).toBe('not-a-uuid')
  })

  it('rejects a body that is not a message Bundle with 400 and stores no referral', async () => {
    const before = await counts()
    const res = await POST(fhirRequest({ body: { resourceType: 'Patient' } }))
    expect(res.status).toBe(400)
    expect(outcomeCodes(await readJson(res))).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'structure' })
    const res2 = await POST(fhirRequest({ body: { resourceType: 'Bundle', type: 'collection', entry: [] } }))
    expect(res2.status).toBe(400)
    expect(outcomeCodes(await readJson(res2)).issue).toBe('invalid')
    const res3 = await POST(fhirRequest({ rawBody: '{not json' }))
    expect(res3.status).toBe(400)
    expect(await counts()).toEqual(before)
  })

  it('answers a retry of a processed message with 409 duplicate and stores it once', async () => {
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const bundle = freshReferral({ now: new Date() })
    expect((await POST(fhirRequest({ body: bundle, ...ids }))).status).toBe(200)
    const before = await counts()
    const retry = await POST(fhirRequest({ body: bundle, ...ids }))
    expect(retry.status).toBe(409)
    expect(outcomeCodes(await readJson(retry))).toEqual({ rec: 'REC_CONFLICT', issue: 'duplicate' })
    expect(await counts()).toEqual(before)
  })

  it('does not treat a re-sent Bundle.id with new ids as a duplicate message (NBRS-3382)', async () => {
    const bundle = freshReferral({ now: new Date() })
    expect((await POST(fhirRequest({ body: bundle }))).status).toBe(200)
    // Same Bundle.id, new request and correlation: a new message (and a new case).
    expect((await POST(fhirRequest({ body: bundle }))).status).toBe(200)
  })

  it('answers a retry of a failed message with the original failure', async () => {
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const bad = freshReferral({ now: new Date() })
    delete (bad as any).meta.versionId
    const first = await POST(fhirRequest({ body: bad, ...ids }))
    expect(first.status).toBe(400)
    const firstBody = await readJson(first)
    expect(outcomeCodes(firstBody)).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'invariant' })
    const retry = await POST(fhirRequest({ body: bad, ...ids }))
    expect(retry.status).toBe(400)
    expect(await readJson(retry)).toEqual(firstBody)
  })

  it('processes concurrent copies of one message exactly once', async () => {
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const bundle = freshReferral({ now: new Date() })
    const before = await counts()
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => POST(fhirRequest({ body: bundle, ...ids }))))).map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.every((s) => [200, 409, 425].includes(s))).toBe(true)
    expect((await counts()).referrals).toBe(before.referrals + 1)
  })

  it('refuses a second active referral in the same conversation with 409 conflict', async () => {
    const correlationId = crypto.randomUUID()
    expect((await POST(fhirRequest({ body: freshReferral({ now: new Date() }), correlationId }))).status).toBe(200)
    const again = await POST(fhirRequest({ body: freshReferral({ now: new Date() }), correlationId }))
    expect(again.status).toBe(409)
    expect(outcomeCodes(await readJson(again))).toEqual({ rec: 'REC_CONFLICT', issue: 'conflict' })
  })

  it('rejects a referral linked to a booking that does not exist with 400', async () => {
    const bundle = freshReferral({ now: new Date() }) as any
    const sr = bundle.entry.find((e: any) => e.resource.resourceType === 'ServiceRequest').resource
    sr.supportingInfo.push({ reference: `Appointment/${crypto.randomUUID()}` })
    const res = await POST(fhirRequest({ body: bundle }))
    expect(res.status).toBe(400)
    expect(outcomeCodes(await readJson(res)).issue).toBe('invariant')
  })

  it('maps routing, negotiation and size failures to their BaRS codes', async () => {
    const body = freshReferral({ now: new Date() })
    const cases: [Request, number, string][] = [
      [fhirRequest({ body, headers: { 'nhsd-target-identifier': target('999999999') } }), 404, 'REC_NOT_FOUND'],
      [fhirRequest({ body, headers: { 'nhsd-target-identifier': 'not base64 json' } }), 400, 'REC_BAD_REQUEST'],
      [fhirRequest({ body, headers: { accept: 'application/fhir+json; version=2.0.0' } }), 406, 'REC_NOT_ACCEPTABLE'],
      [fhirRequest({ body, headers: { 'content-type': 'text/plain' } }), 415, 'REC_UNSUPPORTED_MEDIA_TYPE'],
      [fhirRequest({ rawBody: JSON.stringify({ pad: 'x'.repeat(6 * 1024 * 1024) }) }), 413, 'REC_BAD_REQUEST'],
    ]
    for (const [req, status, rec] of cases) {
      const res = await POST(req)
      expect(res.status, rec).toBe(status)
      expect(outcomeCodes(await readJson(res)).rec).toBe(rec)
      expect(res.headers.get('x-request-id')).toBe(req.headers.get('x-request-id'))
    }
  })

  it('answers other verbs with 405 REC_METHOD_NOT_ALLOWED and Allow: POST', async () => {
    const res = await GET(fhirRequest({ method: 'GET' }))
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect(outcomeCodes(await readJson(res)).rec).toBe('REC_METHOD_NOT_ALLOWED')
  })

  it('rejects an unsupported Application version and an unsupported use case with 422', async () => {
    const v = freshReferral({ now: new Date() })
    v.meta!.versionId = '3.0.0'
    const r1 = await POST(fhirRequest({ body: v }))
    expect(r1.status).toBe(422)
    expect(outcomeCodes(await readJson(r1))).toEqual({ rec: 'REC_UNPROCESSABLE_ENTITY', issue: 'not-supported' })

    const u = freshReferral({ now: new Date() }) as any
    const sr = u.entry.find((e: any) => e.resource.resourceType === 'ServiceRequest').resource
    sr.category[0].coding[1].code = 'a5t1'
    const r2 = await POST(fhirRequest({ body: u }))
    expect(r2.status).toBe(422)
    expect(outcomeCodes(await readJson(r2))).toEqual({ rec: 'REC_UNPROCESSABLE_ENTITY', issue: 'not-supported' })
  })
})
