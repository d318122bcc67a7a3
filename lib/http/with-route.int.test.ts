import { createHash } from 'node:crypto'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { POST as createServiceRoute } from '@/app/api/admin/services/route'
import { POST as signOutEverywhereRoute } from '@/app/api/me/sign-out-everywhere/route'
import { POST as acceptRoute } from '@/app/api/referrals/[id]/accept/route'
import { prisma } from '@/lib/db/prisma'
import { AppError } from '@/lib/errors/app-error'
import { routeParams, sessionCookieFor, staffRequest } from '@/lib/testing/staff-request'
import { withEnv } from '@/lib/testing/test-env'
import { seed } from '@/prisma/seed'
import { apiRoute } from './with-route'

const ZThing = z.object({ name: z.string().min(1, 'Enter a name') })
const thing = apiRoute({
  permission: 'admin:configure',
  body: ZThing,
  handler: async ({ body, params, audit }) => {
    audit({ entityType: 'Thing', entityId: params.id })
    if (body.name === 'boom') throw new AppError('conflict', 'That thing changed meanwhile.')
    return { saved: body.name }
  },
})

let admin: Awaited<ReturnType<typeof sessionCookieFor>>
let clinician: Awaited<ReturnType<typeof sessionCookieFor>>
let restore: (() => void) | undefined
const clinicianCookie = () => clinician.cookie

beforeAll(async () => {
  await seed(new Date())
  admin = await sessionCookieFor('admin@demo.nhs.uk')
  clinician = await sessionCookieFor('clinician@demo.nhs.uk')
})
afterEach(() => {
  restore?.()
  restore = undefined
})

const THING_ID = '5b0c2a8e-3c1f-4d7e-9a61-2f4b8c9d0e1f'

const lastAudit = () => prisma().auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } })

describe('apiRoute — the staff JSON wrapper', () => {
  it('401 JSON without a session, and the refusal is audited', async () => {
    const res = await thing(staffRequest('/api/things', { body: { name: 'a' } }))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'unauthenticated', message: 'Sign in to use this service.' })
    expect(await lastAudit()).toMatchObject({ actorType: 'USER', actorId: null, action: 'api.POST /api/things', outcome: 'failure', detail: { status: 401, error: 'unauthenticated' } })
  })

  it('401 for a forged or expired cookie', async () => {
    expect((await thing(staffRequest('/api/things', { body: { name: 'a' }, cookie: 'next-auth.session-token=forged' }))).status).toBe(401)
    const s = await sessionCookieFor('admin@demo.nhs.uk')
    await prisma().staffSession.update({ where: { id: s.sessionId }, data: { revokedAt: new Date() } })
    expect((await thing(staffRequest('/api/things', { body: { name: 'a' }, cookie: s.cookie }))).status).toBe(401)
  })

  it('403 JSON, no data, for a role without the permission', async () => {
    const res = await thing(staffRequest('/api/things', { body: { name: 'a' }, cookie: clinician.cookie }))
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ error: 'forbidden', message: 'Your account does not have permission for this.' })
    expect(await lastAudit()).toMatchObject({ actorId: clinician.userId, outcome: 'failure', detail: { status: 403 } })
  })

  it('200 with the handler result, an x-request-id, and one audit row naming the user, record, ids and address', async () => {
    const requestId = crypto.randomUUID()
    const correlationId = crypto.randomUUID()
    const before = await prisma().auditEvent.count()
    const res = await thing(
      staffRequest('/api/things/1', { body: { name: 'kettle' }, cookie: admin.cookie, headers: { 'x-request-id': requestId, 'x-correlation-id': correlationId, 'x-forwarded-for': '10.0.0.7, 10.0.0.1' } }),
      routeParams({ id: THING_ID.toUpperCase() }),
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ saved: 'kettle' })
    expect(res.headers.get('x-request-id')).toBe(requestId)
    expect(await prisma().auditEvent.count()).toBe(before + 1)
    expect(await lastAudit()).toMatchObject({
      actorType: 'USER',
      actorId: admin.userId,
      action: 'api.POST /api/things/1',
      entityType: 'Thing',
      entityId: THING_ID,
      requestId,
      correlationId,
      ip: '10.0.0.7',
      outcome: 'success',
      detail: { status: 200 },
    })
  })

  it('400 JSON naming the segment, before the handler runs, when an [id] is not a record id (one check for every route)', async () => {
    let ran = false
    const probe = apiRoute({ permission: 'signed-in', handler: async () => {
        ran = true
        return {}
      },
    })
    const res = await probe(staffRequest('/api/things/not-a-uuid', { cookie: admin.cookie }), routeParams({ id: 'not-a-uuid' }))
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'value', issues: [{ path: 'id' }] })
    expect(ran).toBe(false)
    const accept = await acceptRoute(staffRequest('/api/referrals/not-a-uuid/accept', { body: {}, cookie: clinicianCookie() }), routeParams({ id: 'not-a-uuid' }))
    expect(accept.status).toBe(400)
    const nul = await acceptRoute(staffRequest('/api/referrals/x/accept', { body: {}, cookie: clinicianCookie() }), routeParams({ id: '\u0000' }))
    expect(nul.status).toBe(400)
  })

  it('400 with field issues when the body fails its schema; 415 for another media type; 400 for broken JSON', async () => {
    const res = await thing(staffRequest('/api/things', { body: { name: '' }, cookie: admin.cookie }))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'invalid', message: 'Some answers need correcting.', issues: [{ path: 'name', message: 'Enter a name' }] })
    expect((await thing(staffRequest('/api/things', { rawBody: 'name=a', cookie: admin.cookie, headers: { 'content-type': 'application/x-www-form-urlencoded' } }))).status).toBe(415)
    expect((await thing(staffRequest('/api/things', { rawBody: '{"name":', cookie: admin.cookie }))).status).toBe(400)
  })

  it('413 for a body over BARS_API_MAX_BODY_BYTES', async () => {
    restore = withEnv({ BARS_API_MAX_BODY_BYTES: '100' })
    const res = await thing(staffRequest('/api/things', { body: { name: 'x'.repeat(200) }, cookie: admin.cookie }))
    expect(res.status).toBe(413)
  })

  it('an AppError becomes { error, message } with its status', async () => {
    const res = await thing(staffRequest('/api/things', { body: { name: 'boom' }, cookie: admin.cookie }))
    expect(res.status).toBe(409)
    expect(await res.json()).toEqual({ error: 'conflict', message: 'That thing changed meanwhile.' })
  })

  describe('CSRF on state changes', () => {
    it('refuses a POST with no Origin, or another site’s Origin', async () => {
      for (const origin of [null, 'https://evil.example']) {
        const res = await thing(staffRequest('/api/things', { body: { name: 'a' }, cookie: admin.cookie, origin }))
        expect(res.status, String(origin)).toBe(403)
        expect((await res.json()).message).toBe('Cross-site request refused.')
      }
    })

    it('accepts the configured public origin', async () => {
      restore = withEnv({ BARS_PUBLIC_URL: 'https://bars.example.nhs.uk' })
      expect((await thing(staffRequest('/api/things', { body: { name: 'a' }, cookie: admin.cookie, origin: 'https://bars.example.nhs.uk' }))).status).toBe(200)
    })

    it('accepts a matching double-submit token (next-auth CSRF cookie) without Origin, and refuses a wrong one', async () => {
      const token = 'a'.repeat(64)
      const hash = createHash('sha256').update(`${token}${process.env.NEXTAUTH_SECRET}`).digest('hex')
      const cookie = `${admin.cookie}; next-auth.csrf-token=${encodeURIComponent(`${token}|${hash}`)}`
      expect((await thing(staffRequest('/api/things', { body: { name: 'a' }, cookie, origin: null, headers: { 'x-csrf-token': token } }))).status).toBe(200)
      expect((await thing(staffRequest('/api/things', { body: { name: 'a' }, cookie, origin: null, headers: { 'x-csrf-token': 'b'.repeat(64) } }))).status).toBe(403)
      const forged = `${admin.cookie}; next-auth.csrf-token=${encodeURIComponent(`${token}|${'0'.repeat(64)}`)}`
      expect((await thing(staffRequest('/api/things', { body: { name: 'a' }, cookie: forged, origin: null, headers: { 'x-csrf-token': token } }))).status).toBe(403)
    })

    it('a GET needs no Origin', async () => {
      const get = apiRoute({ permission: 'signed-in', handler: async ({ user }) => ({ you: user.email }) })
      const res = await get(staffRequest('/api/me', { cookie: clinician.cookie }))
      expect(await res.json()).toEqual({ you: 'clinician@demo.nhs.uk' })
    })
  })

  it('429 once a user has made BARS_USER_RATE_LIMIT calls in the minute; other users are unaffected', async () => {
    restore = withEnv({ BARS_USER_RATE_LIMIT: '3' })
    // The limit is per user: use a fresh user so earlier tests' calls do not count.
    const hash = (await prisma().staffUser.findUniqueOrThrow({ where: { email: 'admin@demo.nhs.uk' } })).passwordHash
    await prisma().staffUser.create({ data: { email: 'busy.admin@demo.nhs.uk', name: 'Busy Admin', roles: ['ADMIN'], passwordHash: hash } })
    await prisma().staffUser.create({ data: { email: 'calm.admin@demo.nhs.uk', name: 'Calm Admin', roles: ['ADMIN'], passwordHash: hash } })
    const busy = await sessionCookieFor('busy.admin@demo.nhs.uk')
    const calm = await sessionCookieFor('calm.admin@demo.nhs.uk')
    // 3 calls already counted in this minute and the next (so a minute boundary cannot interfere)
    const minute = Math.floor(Date.now() / 60_000) * 60_000
    for (const w of [minute, minute + 60_000]) await prisma().rateLimitBucket.create({ data: { key: `user:${busy.userId}`, windowStart: new Date(w), count: 3 } })
    expect((await thing(staffRequest('/api/things', { body: { name: 'a' }, cookie: calm.cookie }))).status).toBe(200)
    const res = await thing(staffRequest('/api/things', { body: { name: 'a' }, cookie: busy.cookie }))
    expect(await res.json()).toMatchObject({ error: 'throttled' })
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('real staff routes', () => {
  it('POST /api/admin/services creates a service as admin and is refused to a clinician', async () => {
    const body = { dosServiceId: '9000001', name: 'Urgent Treatment Centre', odsCode: 'rxx02', useCases: ['a1t2'], minAppVersion: '1.0.0', maxAppVersion: '1.2.0', amberMinutes: 60, redMinutes: 15, maxSlotWindowHours: 72, active: true }
    expect((await createServiceRoute(staffRequest('/api/admin/services', { body, cookie: clinician.cookie }))).status).toBe(403)
    expect(await prisma().service.count({ where: { dosServiceId: '9000001' } })).toBe(0)
    const res = await createServiceRoute(staffRequest('/api/admin/services', { body, cookie: admin.cookie }))
    expect(res.status).toBe(200)
    expect((await res.json()).service).toMatchObject({ dosServiceId: '9000001', odsCode: 'RXX02', senderIds: [] })
    const again = await createServiceRoute(staffRequest('/api/admin/services', { body, cookie: admin.cookie }))
    expect(again.status).toBe(409)
  })

  it('POST /api/me/sign-out-everywhere ends the caller’s own sessions', async () => {
    const a = await sessionCookieFor('reception@demo.nhs.uk')
    const b = await sessionCookieFor('reception@demo.nhs.uk')
    const res = await signOutEverywhereRoute(staffRequest('/api/me/sign-out-everywhere', { method: 'POST', cookie: a.cookie }))
    expect(res.status).toBe(200)
    expect((await res.json()).ended).toBeGreaterThanOrEqual(2)
    expect((await signOutEverywhereRoute(staffRequest('/api/me/sign-out-everywhere', { method: 'POST', cookie: b.cookie }))).status).toBe(401)
  })
})
