/**
 * PostgreSQL goes away under the running app and comes back (issue 9, item 3). The app's Prisma
 * client talks to this file's database through a TCP proxy the test controls (lib/testing/tcp-proxy.ts):
 * cut() drops every connection and refuses new ones (PostgreSQL stopped), blackhole() accepts and
 * never answers (a dead network), restore() lets traffic through again. The same client — no restart —
 * must answer 503 REC_UNAVAILABLE with Retry-After while it is down and 200 once it is back, and a
 * message refused with 503 must leave nothing half-stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GET as inbox } from '@/app/api/referrals/route'
import { GET as metadata } from '@/app/fhir/metadata/route'
import { POST } from '@/app/fhir/process-message/route'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { resetEnvForTests } from '@/lib/env'
import { fhirRequest, outcomeCodes, readJson } from '@/lib/testing/fhir-request'
import { sessionCookieFor, staffRequest } from '@/lib/testing/staff-request'
import { startTcpProxy, type TTcpProxy } from '@/lib/testing/tcp-proxy'
import { seed } from '@/prisma/seed'
import { poolCounts } from './guarded-adapter'
import { prisma } from './prisma'
import { sqlPoolCounts } from '@/lib/db/sql'

let proxy: TTcpProxy
let cookie: string
const realUrl = process.env.DATABASE_URL!

beforeAll(async () => {
  proxy = await startTcpProxy(realUrl)
  // Before the first prisma(): the app's pool is built on these settings.
  Object.assign(process.env, { DATABASE_URL: proxy.url, BARS_DB_POOL_SIZE: '4', BARS_DB_CONNECT_TIMEOUT_MS: '1000', BARS_DB_QUERY_TIMEOUT_MS: '1500' })
  resetEnvForTests()
  await seed(new Date())
  cookie = (await sessionCookieFor('clinician@demo.nhs.uk')).cookie
})

afterAll(async () => {
  await proxy.restore()
  await prisma().$disconnect()
  process.env.DATABASE_URL = realUrl // vitest-setup drops the database through the real server
  await proxy.close()
})

const metadataCall = () => metadata(fhirRequest({ method: 'GET', path: '/fhir/metadata' }))
const send = (body: unknown, ids: { requestId: string; correlationId: string }) => POST(fhirRequest({ body, ...ids }))

async function expectUnavailable(res: Response, ids?: { requestId: string; correlationId: string }) {
  expect(res.status).toBe(503)
  const retryAfter = Number(res.headers.get('retry-after'))
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBeLessThanOrEqual(5)
  const body = await readJson(res)
  expect(body.resourceType).toBe('OperationOutcome')
  expect(outcomeCodes(body)).toEqual({ rec: 'REC_UNAVAILABLE', issue: 'transient' })
  if (ids) {
    expect(res.headers.get('x-request-id')).toBe(ids.requestId)
    expect(res.headers.get('x-correlation-id')).toBe(ids.correlationId)
  }
}

describe('PostgreSQL stopped, then started again (no app restart)', () => {
  it('FHIR API and staff API answer 503 with Retry-After while it is down, and 200 once it is back', async () => {
    expect((await metadataCall()).status).toBe(200)
    expect((await inbox(staffRequest('/api/referrals', { cookie }))).status).toBe(200)

    await proxy.cut()
    await expectUnavailable(await metadataCall())
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    await expectUnavailable(await send(freshReferral({ now: new Date() }), ids), ids)
    const staff = await inbox(staffRequest('/api/referrals', { cookie }))
    expect(staff.status).toBe(503)
    expect(Number(staff.headers.get('retry-after'))).toBeLessThanOrEqual(5)
    expect(await staff.json()).toMatchObject({ error: 'unavailable' })

    await proxy.restore()
    expect((await metadataCall()).status).toBe(200)
    expect((await inbox(staffRequest('/api/referrals', { cookie }))).status).toBe(200)
    // The message refused while the database was down left nothing behind: its retry is processed normally.
    expect(await prisma().inboundMessage.count({ where: { requestId: ids.requestId } })).toBe(0)
  })

  it('a dead network (connections accepted, never answered) is bounded by the connection timeout: 503, not a hang', async () => {
    await proxy.blackhole()
    await new Promise((r) => setTimeout(r, 100)) // the pool notices its dropped connections
    try {
      await expectUnavailable(await metadataCall())
    } finally {
      await proxy.restore()
    }
    expect((await metadataCall()).status).toBe(200)
  })

  // A cut between a COMMIT reaching PostgreSQL and its acknowledgement reaching us cannot be told
  // from a cut before it: that message is answered 503 though it is stored (whole). Its retry is then
  // answered 409 duplicate, which senders take as "delivered" (spec §7), so it is never stored twice.
  it('cut under load: every 200 is stored exactly once; every 503 stored nothing and its retry succeeds, or (acknowledgement of its COMMIT lost) stored it whole and its retry is a 409 duplicate', async () => {
    const messages = Array.from({ length: 30 }, () => ({ body: freshReferral({ now: new Date() }), ids: { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() } }))
    const pending = messages.map((m, i) => new Promise<Response>((r) => setTimeout(r, i * 15)).then(() => send(m.body, m.ids)))
    setTimeout(() => void proxy.cut(), 150)
    const answers = await Promise.all(pending)
    await proxy.restore()

    const statuses = answers.map((r) => r.status)
    const committed: boolean[] = []
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true)
    expect(statuses).toContain(503)
    for (const [i, m] of messages.entries()) {
      const stored = await prisma().referral.count({ where: { correlationId: m.ids.correlationId } })
      const message = await prisma().inboundMessage.findMany({ where: { requestId: m.ids.requestId }, select: { state: true } })
      if (statuses[i] === 200 || stored) {
        expect(stored).toBe(1)
        expect(message).toEqual([{ state: 'SUCCEEDED' }])
      } else {
        expect(message).toEqual([]) // the claim is part of the message's transaction: nothing is left behind
      }
      committed[i] = stored === 1
    }
    // Every refused message is accepted on retry at once, exactly once; one whose COMMIT did happen is a duplicate.
    for (const [i, m] of messages.entries()) {
      if (statuses[i] === 200) continue
      const retry = await send(m.body, m.ids)
      if (committed[i]) {
        expect(retry.status).toBe(409)
        expect(outcomeCodes(await readJson(retry))).toEqual({ rec: 'REC_CONFLICT', issue: 'duplicate' })
      } else expect(retry.status).toBe(200)
      expect(await prisma().referral.count({ where: { correlationId: m.ids.correlationId } })).toBe(1)
    }
    // Transactions cut mid-way handed their connections back (lib/db/guarded-adapter.ts): once every
    // request is answered no connection is still checked out, and all 4 of the pool can be held at
    // once (with one lost for good, the 4th transaction could not start: 4 wait for each other).
    const counts = poolCounts()!
    expect(counts.total).toBe(counts.idle)
    const sqlCounts = sqlPoolCounts()! // the hot path's pg pool (lib/db/sql.ts) likewise
    expect(sqlCounts.total).toBe(sqlCounts.idle)
    let holding = 0
    const held = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        prisma().$transaction(
          async (tx) => {
            await tx.$queryRaw`SELECT 1`
            holding++
            for (let i = 0; holding < 4 && i < 300; i++) await new Promise((r) => setTimeout(r, 10))
            return holding
          },
          { maxWait: 10_000, timeout: 20_000 },
        ),
      ),
    )
    expect(held.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([4, 4, 4, 4])
  })
})
