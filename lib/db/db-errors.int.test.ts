/** Real Prisma / PostgreSQL failures → the one translation (lib/db/db-errors.ts) → the answer both wrappers give. */
import { beforeAll, describe, expect, it } from 'vitest'
import { fhirRoute } from '@/lib/http/with-fhir-route'
import { apiRoute } from '@/lib/http/with-route'
import { fhirRequest, outcomeCodes, readJson } from '@/lib/testing/fhir-request'
import { sessionCookieFor, staffRequest } from '@/lib/testing/staff-request'
import { seed } from '@/prisma/seed'
import { classifyDbError, translateDbError } from './db-errors'
import { prisma } from './prisma'

let cookie: string
/** The value a promise rejects with (fails the test when it resolves). */
async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}
beforeAll(async () => {
  await seed(new Date())
  cookie = (await sessionCookieFor('admin@demo.nhs.uk')).cookie
})

const duplicateService = () => prisma().service.create({ data: { dosServiceId: '111111111', name: 'Copy', odsCode: 'X', useCases: [] } })
const missingUpdate = () => prisma().service.update({ where: { dosServiceId: 'no-such-service' }, data: { name: 'x' } })
const rawDuplicate = () => prisma().$executeRaw`INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES ('dup', '2026-01-01T00:00:00Z', 1), ('dup', '2026-01-01T00:00:00Z', 1)`
const statementTimeout = () => prisma().$transaction(async (tx) => {
  await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = 50`)
  await tx.$queryRawUnsafe(`SELECT pg_sleep(1)`)
})

describe('classifyDbError on real failures', () => {
  it('unique violation (Prisma P2002, and 23505 from a raw query) → conflict; missing record (P2025) → not-found', async () => {
    expect(classifyDbError(await caught(duplicateService()))).toMatchObject({ cls: 'conflict' })
    expect(classifyDbError(await caught(rawDuplicate()))).toMatchObject({ cls: 'conflict' })
    expect(classifyDbError(await caught(missingUpdate()))).toEqual({ cls: 'not-found', code: 'P2025' })
  })

  it('statement timeout (57014) → unavailable; an ordinary SQL error is not classified (→ 500)', async () => {
    expect(classifyDbError(await caught(statementTimeout()))).toMatchObject({ cls: 'unavailable' })
    expect(classifyDbError(await caught(prisma().$queryRawUnsafe('SELECT * FROM "NoSuchTable"')))).toBeUndefined()
    expect(translateDbError(new Error('something else'))).toBeUndefined()
  })
})

describe('both wrappers use it', () => {
  const fhir = fhirRoute({
    GET: async ({ url }) => {
      if (url.searchParams.get('x') === 'dup') await duplicateService()
      if (url.searchParams.get('x') === 'missing') await missingUpdate()
      if (url.searchParams.get('x') === 'sql') await prisma().$queryRawUnsafe('SELECT * FROM "NoSuchTable"')
      return { body: { resourceType: 'Basic', code: { text: 'ok' } } }
    },
  })
  const call = (x: string) => fhir.GET(fhirRequest({ method: 'GET', path: `/fhir/test?x=${x}` }))

  it('FHIR: unique → 409 REC_CONFLICT, missing → 404 REC_NOT_FOUND, anything else → 500 with no detail', async () => {
    const dup = await call('dup')
    expect(dup.status).toBe(409)
    expect(outcomeCodes(await readJson(dup))).toEqual({ rec: 'REC_CONFLICT', issue: 'conflict' })
    const missing = await call('missing')
    expect(missing.status).toBe(404)
    expect(outcomeCodes(await readJson(missing))).toEqual({ rec: 'REC_NOT_FOUND', issue: 'not-found' })
    const other = await call('sql')
    expect(other.status).toBe(500)
    const body = await readJson(other)
    expect(JSON.stringify(body)).not.toContain('NoSuchTable')
  })

  it('staff API: unique → 409 JSON, missing → 404 JSON', async () => {
    const api = apiRoute({ permission: 'signed-in', handler: async ({ url }) => (url.searchParams.get('x') === 'dup' ? duplicateService() : missingUpdate()) })
    const dup = await api(staffRequest('/api/test?x=dup', { cookie }))
    expect(dup.status).toBe(409)
    expect(await dup.json()).toMatchObject({ error: 'conflict' })
    const missing = await api(staffRequest('/api/test?x=missing', { cookie }))
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: 'not-found' })
  })
})
