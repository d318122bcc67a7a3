/**
 * Load shedding (issue 10): more concurrent $process-message requests than the in-flight bound get
 * only 200 or 503 REC_UNAVAILABLE with Retry-After — never a 500 — the 503 is decided before any write
 * (no InboundMessage row, so the sender's retry is processed normally), and every 200 is stored.
 * Also: a pool that cannot hand out a connection in time (real PostgreSQL, real Prisma) is classed
 * as "busy" (503), with its error code for the log.
 */
import { PrismaPg } from '@prisma/adapter-pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POST } from '@/app/fhir/process-message/route'
import { PrismaClient } from '@/generated/prisma/client'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { env } from '@/lib/env'
import { fhirRequest, outcomeCodes, readJson } from '@/lib/testing/fhir-request'
import { withEnv } from '@/lib/testing/test-env'
import { seed } from '@/prisma/seed'
import { busyError, dbErrorCode, inflightLimiter, isDbBusy, processMessageLimiter } from './inflight-limit'

const now = new Date()
await seed(now)

describe('more concurrent $process-message requests than the bound', () => {
  let restore: () => void
  beforeAll(() => {
    restore = withEnv({ BARS_MAX_INFLIGHT_MESSAGES: '4' })
  })
  afterAll(() => restore())

  it('answers only 200 and 503 REC_UNAVAILABLE with Retry-After, 0 × 500; every 200 is stored, no 503 left a trace, a retry succeeds', async () => {
    const before = await prisma().referral.count()
    const sent = Array.from({ length: 40 }, () => ({ requestId: crypto.randomUUID(), correlationId: crypto.randomUUID(), body: freshReferral({ now }) }))
    const responses = await Promise.all(sent.map((s) => POST(fhirRequest(s))))
    const statuses = responses.map((r) => r.status)

    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([])
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true)
    // The 40 calls start in one tick: the first four take the places, the other 36 are shed.
    expect(statuses.filter((s) => s === 200)).toHaveLength(4)
    expect(statuses.filter((s) => s === 503)).toHaveLength(36)
    expect(processMessageLimiter.inflight).toBe(0)

    const shed: typeof sent = []
    for (const [i, res] of responses.entries()) {
      if (res.status !== 503) continue
      shed.push(sent[i]!)
      expect(res.headers.get('retry-after')).toBe('1')
      expect(res.headers.get('x-request-id')).toBe(sent[i]!.requestId)
      expect(res.headers.get('content-type')).toMatch(/application\/fhir\+json/)
      const body = await readJson(res)
      expect(body.resourceType).toBe('OperationOutcome')
      expect(outcomeCodes(body)).toEqual({ rec: 'REC_UNAVAILABLE', issue: 'transient' })
    }

    // Every 200 is stored; nothing of a shed request was written.
    const okBundles = sent.filter((_, i) => statuses[i] === 200).map((s) => s.body.id!)
    expect(await prisma().referral.count({ where: { bundleId: { in: okBundles } } })).toBe(4)
    expect(await prisma().referral.count()).toBe(before + 4)
    expect(await prisma().inboundMessage.count({ where: { requestId: { in: shed.map((s) => s.requestId) } } })).toBe(0)

    // A shed message retried with the same ids is processed normally (nothing to replay or block it).
    const retry = await POST(fhirRequest(shed[0]!))
    expect(retry.status).toBe(200)
    expect(await prisma().referral.count({ where: { bundleId: shed[0]!.body.id! } })).toBe(1)
  })

  it('gives the place back after a failure too (a 400 does not leak a place)', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await POST(fhirRequest({ rawBody: '{not json' }))
      expect(res.status).toBe(400)
    }
    expect(processMessageLimiter.inflight).toBe(0)
    const res = await POST(fhirRequest({ body: freshReferral({ now }) }))
    expect(res.status).toBe(200)
  })
})

describe('inflightLimiter', () => {
  it('holds at most max places and frees each once', () => {
    const l = inflightLimiter('t', () => 2)
    const a = l.acquire()
    const b = l.acquire()
    expect(() => l.acquire()).toThrow(expect.objectContaining({ kind: 'unavailable', headers: { 'retry-after': '1' } }))
    a()
    a() // a second call does not free a place twice
    expect(l.inflight).toBe(1)
    const c = l.acquire()
    expect(() => l.acquire()).toThrow()
    b()
    c()
    expect(l.inflight).toBe(0)
  })
})

describe('a pool that cannot hand out a connection in time', () => {
  it('is "busy" (503 with Retry-After), with a loggable error code, through real Prisma and PostgreSQL', async () => {
    const small = new PrismaClient({ adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: 1, connectionTimeoutMillis: 200 }) })
    try {
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      let entered!: () => void
      const inTx = new Promise<void>((r) => (entered = r))
      const tx = small.$transaction(async (t) => {
        await t.$queryRaw`SELECT 1`
        entered()
        await held
      }, { timeout: 10_000 })
      await inTx
      const failure = await small.$queryRaw`SELECT 1`.then(
        () => undefined,
        (e: unknown) => e,
      )
      release()
      await tx
      expect(failure).toBeDefined()
      expect(isDbBusy(failure)).toBe(true)
      expect(dbErrorCode(failure)).toBeTruthy()
      expect(busyError().status).toBe(503)
    } finally {
      await small.$disconnect()
    }
  })

  it('is not "busy" for a constraint violation (a real bug stays a 500)', async () => {
    const failure = await prisma().$executeRaw`INSERT INTO "Referral" (id) VALUES (NULL)`.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(failure).toBeDefined()
    expect(isDbBusy(failure)).toBe(false)
    expect(dbErrorCode(failure)).toMatch(/23502/)
  })
})
