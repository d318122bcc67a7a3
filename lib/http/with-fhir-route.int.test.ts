import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { POST } from '@/app/fhir/process-message/route'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { checkRateLimit } from '@/lib/security/check-rate-limit'
import { hashBearerToken } from '@/lib/senders/authenticate-sender'
import { fhirRequest, outcomeCodes, readJson } from '@/lib/testing/fhir-request'
import { withEnv } from '@/lib/testing/test-env'
import { seed } from '@/prisma/seed'
import { fhirRoute } from './with-fhir-route'

const ok = fhirRoute({ GET: async () => ({ body: { resourceType: 'Basic', code: { text: 'ok' } } }) })
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64')
const ORG = b64({ resourceType: 'Organization', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'NXX11' }], name: 'Test 111' })
const SOFTWARE = b64({ resourceType: 'Device', identifier: [{ system: 'https://test', value: 'soft-1' }], deviceName: 'Sender', version: [{ value: '1' }] })
const TOKEN = 'direct-integration-token-0123456789'
const PROXY_SUBJECT = 'CN=int.api.service.nhs.uk, O=NHS England, C=GB'

let restore: (() => void) | undefined
afterEach(() => {
  restore?.()
  restore = undefined
})

beforeAll(async () => {
  await seed(new Date())
  await prisma().senderSystem.update({ where: { dosServiceId: '2222222222' }, data: { bearerTokenHash: hashBearerToken(TOKEN), clientCertSubject: 'CN=direct.sender.nhs.uk,O=Direct' } })
})

const get = (headers: Record<string, string> = {}) => ok.GET(fhirRequest({ method: 'GET', path: '/fhir/metadata', headers }))
const lastAudit = () => prisma().auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } })

describe('fhirRoute — audit of every API call', () => {
  it('writes one row after the response: who, what, when, from where, ids, target, sender ODS, outcome', async () => {
    const requestId = crypto.randomUUID()
    const correlationId = crypto.randomUUID()
    const before = await prisma().auditEvent.count()
    const res = await get({ 'x-request-id': requestId, 'x-correlation-id': correlationId, 'nhsd-end-user-organisation': ORG, 'nhsd-requesting-software': SOFTWARE, 'x-forwarded-for': '203.0.113.9' })
    expect(res.status).toBe(200)
    expect(await prisma().auditEvent.count()).toBe(before + 1)
    const row = await lastAudit()
    expect(row).toMatchObject({
      actorType: 'SENDER',
      actorId: 'NXX11',
      action: 'fhir.GET /fhir/metadata',
      requestId,
      correlationId,
      outcome: 'success',
      ip: '203.0.113.9',
      detail: { status: 200, auth: 'none', senderOds: 'NXX11', software: 'soft-1', targetService: '111111111' },
    })
    expect(row.at.getTime()).toBeGreaterThan(Date.now() - 60_000)
  })

  it('records failures with their REC code, even when the ids are missing', async () => {
    const res = await get({ 'x-request-id': 'not-a-uuid' })
    expect(res.status).toBe(400)
    expect(await lastAudit()).toMatchObject({ outcome: 'failure', requestId: 'not-a-uuid', detail: { status: 400, recCode: 'REC_BAD_REQUEST' } })
  })

  it('names the patient when the handler says which record it returned; $process-message keeps working', async () => {
    const withTarget = fhirRoute({ GET: async () => ({ body: { resourceType: 'Basic', code: { text: 'ok' } }, audit: { entityType: 'Referral', entityId: 'r1', patientNhs: '9000000009' } }) })
    await withTarget.GET(fhirRequest({ method: 'GET', path: '/fhir/ServiceRequest/r1' }))
    expect(await lastAudit()).toMatchObject({ entityType: 'Referral', entityId: 'r1', patientNhs: '9000000009' })
    const res = await POST(fhirRequest({ body: freshReferral({ now: new Date() }) }))
    expect(res.status).toBe(200)
    expect(await lastAudit()).toMatchObject({ action: 'fhir.POST /fhir/$process-message', outcome: 'success', detail: { status: 200 } })
  })
})

describe('fhirRoute — sender authentication', () => {
  it('embedded default (BARS_REQUIRE_SENDER_AUTH unset): unauthenticated calls are allowed', async () => {
    expect((await get()).status).toBe(200)
  })

  it('BARS_REQUIRE_SENDER_AUTH=true: no credentials → 401 REC_UNAUTHORIZED OperationOutcome, ids echoed', async () => {
    restore = withEnv({ BARS_REQUIRE_SENDER_AUTH: 'true' })
    const requestId = crypto.randomUUID()
    const res = await get({ 'x-request-id': requestId })
    expect(res.status).toBe(401)
    expect(res.headers.get('x-request-id')).toBe(requestId)
    expect(outcomeCodes(await readJson(res))).toEqual({ rec: 'REC_UNAUTHORIZED', issue: 'forbidden' })
    expect(await lastAudit()).toMatchObject({ outcome: 'failure', detail: { status: 401, recCode: 'REC_UNAUTHORIZED', auth: 'rejected' } })
  })

  it('a registered sender’s bearer token is accepted and names the sender in the audit', async () => {
    restore = withEnv({ BARS_REQUIRE_SENDER_AUTH: 'true' })
    const res = await get({ authorization: `Bearer ${TOKEN}` })
    expect(res.status).toBe(200)
    const sender = await prisma().senderSystem.findUniqueOrThrow({ where: { dosServiceId: '2222222222' } })
    expect(await lastAudit()).toMatchObject({ actorId: sender.id, detail: { auth: 'bearer', senderName: 'NHS 111 (demo)' } })
  })

  it('a sender authenticated by its token may only send messages as itself (MessageHeader.source)', async () => {
    const own = await POST(fhirRequest({ body: freshReferral({ now: new Date() }), headers: { authorization: `Bearer ${TOKEN}` } }))
    expect(own.status).toBe(200)
    const spoofed = freshReferral({ now: new Date() }) as any
    spoofed.entry[0].resource.source.endpoint = 'https://fhir.nhs.uk/Id/dos-service-id|9999999999'
    // With no sender list on the service only the token's binding can refuse it.
    const links = await prisma().serviceSender.findMany({ where: { service: { dosServiceId: '111111111' } } })
    await prisma().serviceSender.deleteMany({ where: { service: { dosServiceId: '111111111' } } })
    try {
      const res = await POST(fhirRequest({ body: spoofed, headers: { authorization: `Bearer ${TOKEN}` } }))
      expect(res.status).toBe(401)
      expect(outcomeCodes(await readJson(res)).rec).toBe('REC_UNAUTHORIZED')
      // the same message without the token is accepted (the binding, not the source, refused it)
      expect((await POST(fhirRequest({ body: spoofed }))).status).toBe(200)
    } finally {
      await prisma().serviceSender.createMany({ data: links })
    }
  })

  it('an unknown bearer token is refused even when auth is not required', async () => {
    const res = await get({ authorization: 'Bearer not-a-known-token-000000000' })
    expect(res.status).toBe(401)
    expect(outcomeCodes(await readJson(res)).rec).toBe('REC_UNAUTHORIZED')
    expect((await get({ authorization: 'Basic abc' })).status).toBe(401)
  })

  it('X-Client-Cert-Subject is ignored unless BARS_TRUST_CLIENT_CERT_HEADER=true (anyone could send it)', async () => {
    restore = withEnv({ BARS_REQUIRE_SENDER_AUTH: 'true', BARS_PROXY_CERT_SUBJECTS: PROXY_SUBJECT })
    expect((await get({ 'x-client-cert-subject': PROXY_SUBJECT })).status).toBe(401)
  })

  it('trusted terminator: the BaRS proxy’s certificate and a registered direct sender’s are accepted; an unknown one is 401', async () => {
    restore = withEnv({ BARS_REQUIRE_SENDER_AUTH: 'true', BARS_TRUST_CLIENT_CERT_HEADER: 'true', BARS_PROXY_CERT_SUBJECTS: `${PROXY_SUBJECT};CN=other.proxy` })
    expect((await get({ 'x-client-cert-subject': 'CN=int.api.service.nhs.uk,O=NHS England,C=GB', 'nhsd-end-user-organisation': ORG })).status).toBe(200)
    expect(await lastAudit()).toMatchObject({ actorId: 'NXX11', detail: { auth: 'proxy', senderOds: 'NXX11' } })
    expect((await get({ 'x-client-cert-subject': 'CN=direct.sender.nhs.uk, O=Direct' })).status).toBe(200)
    expect(await lastAudit()).toMatchObject({ detail: { auth: 'client-cert', senderName: 'NHS 111 (demo)' } })
    const res = await get({ 'x-client-cert-subject': 'CN=someone.else' })
    expect(res.status).toBe(401)
    expect(outcomeCodes(await readJson(res)).rec).toBe('REC_UNAUTHORIZED')
  })

  it('an inactive sender’s credentials no longer work', async () => {
    await prisma().senderSystem.update({ where: { dosServiceId: '2222222222' }, data: { active: false } })
    try {
      expect((await get({ authorization: `Bearer ${TOKEN}` })).status).toBe(401)
    } finally {
      await prisma().senderSystem.update({ where: { dosServiceId: '2222222222' }, data: { active: true } })
    }
  })
})

describe('rate limits', () => {
  it('fixed one-minute windows per key, shared in PostgreSQL: the call over the limit is throttled with Retry-After', async () => {
    const t = new Date('2026-11-28T10:00:10Z')
    expect((await checkRateLimit('test:a', 2, t)).count).toBe(1)
    expect((await checkRateLimit('test:a', 2, new Date('2026-11-28T10:00:50Z'))).count).toBe(2)
    await expect(checkRateLimit('test:a', 2, new Date('2026-11-28T10:00:55Z'))).rejects.toMatchObject({ kind: 'throttled', headers: { 'retry-after': '5' } })
    // another key is counted apart; the next minute starts again (and the old window is cleared)
    expect((await checkRateLimit('test:b', 2, t)).count).toBe(1)
    expect((await checkRateLimit('test:a', 2, new Date('2026-11-28T10:01:00Z'))).count).toBe(1)
    expect(await prisma().rateLimitBucket.count({ where: { key: 'test:a' } })).toBe(1)
  })

  it('concurrent calls never lose a count: the shard rows add up to every call, spread over several rows', async () => {
    const t = new Date('2026-11-28T11:00:00Z')
    await Promise.all(Array.from({ length: 40 }, () => checkRateLimit('test:concurrent', 1000, t)))
    const rows = await prisma().rateLimitBucket.findMany({ where: { key: 'test:concurrent', windowStart: t } })
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(40)
    expect(rows.length).toBeGreaterThan(1) // no single hot row
    // and the next call sees the whole window's total
    expect((await checkRateLimit('test:concurrent', 1000, t)).count).toBe(41)
  })
})

describe('rate limits on the FHIR API: per (sender, service), keyed on who authenticated', () => {
  const TOKEN_B = 'second-sender-token-0123456789ab'
  const orgFor = (ods: string) => b64({ resourceType: 'Organization', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: ods }] })
  const slot = fhirRoute({ GET: async () => ({ body: { resourceType: 'Basic', code: { text: 'ok' } } }) }, { target: 'required' })
  const call = (headers: Record<string, string>) => slot.GET(fhirRequest({ method: 'GET', path: '/fhir/ServiceRequest', headers }))
  // Every bucket a test fills is emptied after it, pass or fail, so one failing test cannot leave the next over its limit.
  const filled = new Set<string>()
  afterEach(async () => {
    await prisma().rateLimitBucket.deleteMany({ where: { key: { in: [...filled] } } })
    filled.clear()
  })
  const fillAllowance = async (key: string, used = 2) => {
    // The sender has used `used` calls in this minute and the next (so a minute boundary cannot interfere).
    filled.add(key)
    const minute = Math.floor(Date.now() / 60_000) * 60_000
    await prisma().rateLimitBucket.deleteMany({ where: { key } }) // earlier calls in this file may have counted already
    for (const w of [minute, minute + 60_000]) await prisma().rateLimitBucket.create({ data: { key, windowStart: new Date(w), shard: 0, count: used } })
  }

  beforeAll(async () => {
    const service = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: '111111111' } })
    await prisma().senderSystem.create({ data: { name: 'Second 111', kind: 'NHS111', dosServiceId: '3333333333', odsCodes: ['BBB22'], bearerTokenHash: hashBearerToken(TOKEN_B), services: { create: { serviceId: service.id } } } })
  })

  it('over BARS_SENDER_RATE_LIMIT → 429 REC_TOO_MANY_REQUESTS with Retry-After; other NHSD-End-User-Organisation or X-Forwarded-For values give no fresh allowance', async () => {
    restore = withEnv({ BARS_SENDER_RATE_LIMIT: '2' })
    await fillAllowance('fhir:sender:2222222222@111111111')
    for (const headers of [{}, { 'nhsd-end-user-organisation': orgFor('FRESH1') } as Record<string, string>, { 'x-forwarded-for': '198.51.100.7' }, { 'nhsd-end-user-organisation': orgFor('FRESH2'), 'x-forwarded-for': '198.51.100.8' }]) {
      const res = await call({ authorization: `Bearer ${TOKEN}`, ...headers })
      expect(res.status).toBe(429)
      expect(outcomeCodes(await readJson(res))).toEqual({ rec: 'REC_TOO_MANY_REQUESTS', issue: 'throttled' })
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    expect(await lastAudit()).toMatchObject({ outcome: 'failure', detail: { status: 429, recCode: 'REC_TOO_MANY_REQUESTS', auth: 'bearer' } })
    // The same sender through the proxy (no token; it is the one sender the call can be) shares the allowance.
    expect((await call({ 'nhsd-end-user-organisation': orgFor('ANY99') })).status).toBe(429)
  })

  it('$process-message counts each message inside its own transaction, and a body refused before it (415) counts too', async () => {
    restore = withEnv({ BARS_SENDER_RATE_LIMIT: '3' })
    const key = 'fhir:sender:2222222222@111111111'
    await fillAllowance(key, 1)
    const send = (extra: Record<string, string> = {}, body: unknown = freshReferral({ now: new Date() }), requestId = crypto.randomUUID()) =>
      POST(fhirRequest({ body, requestId, headers: { authorization: `Bearer ${TOKEN}`, ...extra } }))
    expect((await send()).status).toBe(200) // 2 of 3
    expect((await send({ 'content-type': 'text/plain' })).status).toBe(415) // 3 of 3
    const bundle = freshReferral({ now: new Date() })
    const requestId = crypto.randomUUID()
    const refused = await send({}, bundle, requestId)
    expect(refused.status).toBe(429)
    expect(outcomeCodes(await readJson(refused))).toEqual({ rec: 'REC_TOO_MANY_REQUESTS', issue: 'throttled' })
    // Over the limit, the message's transaction rolled back: nothing of it is stored.
    expect(await prisma().referral.count({ where: { bundleId: bundle.id! } })).toBe(0)
    expect(await prisma().inboundMessage.count({ where: { requestId } })).toBe(0)
  })

  it('a message its workflow refuses (409: a second referral for one conversation) counts once, and over the limit nothing of it is kept', async () => {
    restore = withEnv({ BARS_SENDER_RATE_LIMIT: '4' })
    const key = 'fhir:sender:2222222222@111111111'
    await fillAllowance(key, 1)
    const used = async () => (await prisma().rateLimitBucket.aggregate({ where: { key, windowStart: new Date(Math.floor(Date.now() / 60_000) * 60_000) }, _sum: { count: true } }))._sum.count
    const send = (body: unknown, requestId = crypto.randomUUID(), correlationId = crypto.randomUUID()) =>
      POST(fhirRequest({ body, requestId, correlationId, headers: { authorization: `Bearer ${TOKEN}` } }))
    const bundle = freshReferral({ now: new Date() })
    const conversation = crypto.randomUUID()
    expect((await send(bundle, crypto.randomUUID(), conversation)).status).toBe(200) // 2 of 4
    const start = await used()
    // The same conversation again under new ids: the referral workflow refuses it (one active referral per conversation).
    const again = await send({ ...bundle, id: crypto.randomUUID() }, crypto.randomUUID(), conversation)
    expect(again.status).toBe(409)
    expect(await used()).toBe(start! + 1) // 3 of 4: counted once, with the refusal's record
    expect((await send(freshReferral({ now: new Date() }))).status).toBe(200) // 4 of 4
    // Over the limit, the refused message's record is not kept either.
    const requestId = crypto.randomUUID()
    const over = await send({ ...bundle, id: crypto.randomUUID() }, requestId, conversation)
    expect(over.status).toBe(429)
    expect(await prisma().inboundMessage.count({ where: { requestId } })).toBe(0)
  })

  it('two senders have separate allowances, and a sender’s allowance is per service', async () => {
    restore = withEnv({ BARS_SENDER_RATE_LIMIT: '2' })
    await fillAllowance('fhir:sender:3333333333@111111111')
    expect((await call({ authorization: `Bearer ${TOKEN_B}`, 'nhsd-end-user-organisation': orgFor('BBB22') })).status).toBe(429)
    expect((await call({ authorization: `Bearer ${TOKEN}` })).status).toBe(200)
    // the same sender at another of our services (no service: metadata) is counted apart
    expect((await get({ authorization: `Bearer ${TOKEN_B}` })).status).toBe(200)
  })
})
