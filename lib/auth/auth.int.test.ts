import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '@/lib/db/prisma'
import { withEnv } from '@/lib/testing/test-env'
import { seed } from '@/prisma/seed'
import { LOCK_AFTER_FAILURES, signInWithPassword } from './sign-in'
import { signInWithOidc } from './sign-in-oidc'
import { signOutEverywhere } from './sign-out-everywhere'
import { userForSession } from './session'

const PASSWORD = 'Demo-password-1'
const CLINICIAN = 'clinician@demo.nhs.uk'
const RECEPTION = 'reception@demo.nhs.uk'

beforeAll(async () => {
  await seed(new Date())
})

async function signIn(email: string, password = PASSWORD) {
  const r = await signInWithPassword(email, password, '10.1.2.3')
  if (!r.ok) throw new Error(r.reason)
  return r
}

describe('password sign-in and lockout', () => {
  it('locks the account after 5 failures: even the right password is then refused, and every attempt is audited', async () => {
    const user = await prisma().staffUser.findUniqueOrThrow({ where: { email: RECEPTION } })
    const auditBefore = await prisma().auditEvent.count({ where: { actorId: user.id, action: 'auth.sign-in' } })
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect(await signInWithPassword(RECEPTION, 'wrong-password', '10.1.2.3')).toEqual({ ok: false, reason: 'invalid' })
    const locked = await prisma().staffUser.findUniqueOrThrow({ where: { email: RECEPTION } })
    expect(locked.failedLogins).toBe(5)
    expect(locked.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000)
    expect(await signInWithPassword(RECEPTION, PASSWORD)).toEqual({ ok: false, reason: 'locked' })
    const rows = await prisma().auditEvent.findMany({ where: { actorId: user.id, action: 'auth.sign-in' }, orderBy: { id: 'asc' } })
    expect(rows.length - auditBefore).toBe(6)
    expect(rows.at(-1)).toMatchObject({ outcome: 'failure', detail: { reason: 'locked' } })
    expect(rows.at(-2)).toMatchObject({ outcome: 'failure', ip: '10.1.2.3', detail: { reason: 'bad-password' } })

    // Once the lock has expired, the right password works and the counter starts again.
    await prisma().staffUser.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } })
    const ok = await signInWithPassword(RECEPTION, PASSWORD)
    expect(ok.ok).toBe(true)
    expect(await prisma().staffUser.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ failedLogins: 0, lockedUntil: null })
  })

  it('four failures do not lock; a success resets the count', async () => {
    for (let i = 0; i < LOCK_AFTER_FAILURES - 1; i++) await signInWithPassword(CLINICIAN, 'wrong-password')
    expect((await prisma().staffUser.findUniqueOrThrow({ where: { email: CLINICIAN } })).lockedUntil).toBeNull()
    await signIn(CLINICIAN)
    expect((await prisma().staffUser.findUniqueOrThrow({ where: { email: CLINICIAN } })).failedLogins).toBe(0)
  })

  it('an unknown e-mail and a deactivated account are refused the same way', async () => {
    expect(await signInWithPassword('nobody@demo.nhs.uk', PASSWORD)).toEqual({ ok: false, reason: 'invalid' })
    const u = await prisma().staffUser.create({ data: { email: 'gone@demo.nhs.uk', name: 'Gone', roles: ['CLINICIAN'], passwordHash: (await prisma().staffUser.findUniqueOrThrow({ where: { email: CLINICIAN } })).passwordHash, active: false } })
    expect(await signInWithPassword(u.email, PASSWORD)).toEqual({ ok: false, reason: 'invalid' })
  })
})

describe('session expiry', () => {
  it('a fresh session is live and names the user and roles', async () => {
    const r = await signIn(CLINICIAN)
    expect(await userForSession(r.sessionId)).toMatchObject({ email: CLINICIAN, roles: ['CLINICIAN'], sessionId: r.sessionId })
  })

  it('ends after 30 minutes idle', async () => {
    const r = await signIn(CLINICIAN)
    await prisma().staffSession.update({ where: { id: r.sessionId }, data: { lastSeenAt: new Date(Date.now() - 29 * 60_000) } })
    expect(await userForSession(r.sessionId)).not.toBeNull()
    // that use touched it; now leave it idle past the limit
    await prisma().staffSession.update({ where: { id: r.sessionId }, data: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } })
    expect(await userForSession(r.sessionId)).toBeNull()
  })

  it('ends 12 hours after sign-in however active it is', async () => {
    const r = await signIn(CLINICIAN)
    await prisma().staffSession.update({ where: { id: r.sessionId }, data: { createdAt: new Date(Date.now() - 11.9 * 3600_000) } })
    expect(await userForSession(r.sessionId)).not.toBeNull()
    await prisma().staffSession.update({ where: { id: r.sessionId }, data: { createdAt: new Date(Date.now() - 12.1 * 3600_000) } })
    expect(await userForSession(r.sessionId)).toBeNull()
  })

  it('ends when the user is deactivated; a malformed id is no session', async () => {
    const hash = (await prisma().staffUser.findUniqueOrThrow({ where: { email: CLINICIAN } })).passwordHash
    await prisma().staffUser.create({ data: { email: 'leaver@demo.nhs.uk', name: 'Leaver', roles: ['CLINICIAN'], passwordHash: hash } })
    const r = await signIn('leaver@demo.nhs.uk')
    await prisma().staffUser.update({ where: { email: 'leaver@demo.nhs.uk' }, data: { active: false } })
    expect(await userForSession(r.sessionId)).toBeNull()
    expect(await userForSession('not-a-uuid')).toBeNull()
  })
})

describe('sign out everywhere', () => {
  it('revokes every session of the user (all devices) and none of anyone else, and audits it', async () => {
    const a = await signIn(CLINICIAN)
    const b = await signIn(CLINICIAN)
    const admin = await signIn('admin@demo.nhs.uk')
    const result = await signOutEverywhere(a.user.id, { userId: admin.user.id, ip: '10.9.9.9' })
    expect(result.ended).toBeGreaterThanOrEqual(2)
    expect(await userForSession(a.sessionId)).toBeNull()
    expect(await userForSession(b.sessionId)).toBeNull()
    expect(await userForSession(admin.sessionId)).not.toBeNull()
    const row = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'auth.sign-out-everywhere' }, orderBy: { id: 'desc' } })
    expect(row).toMatchObject({ actorId: admin.user.id, entityType: 'StaffUser', entityId: a.user.id, ip: '10.9.9.9', outcome: 'success' })
    // signing in again works
    expect(await userForSession((await signIn(CLINICIAN)).sessionId)).not.toBeNull()
  })

  it('404s for an unknown user', async () => {
    await expect(signOutEverywhere(crypto.randomUUID(), { userId: crypto.randomUUID() })).rejects.toMatchObject({ kind: 'not-found' })
  })
})

describe('OpenID Connect sign-in (CIS2-shaped claims)', () => {
  const profile = (roleCodes: string[], email = 'dr.oidc@nhs.net') => ({
    sub: '910000000042',
    email,
    given_name: 'Olu',
    family_name: 'Idc',
    nhsid_nrbac_roles: roleCodes.map((role_code, i) => ({ person_roleid: String(i), org_code: 'RXX', role_code })),
  })

  it('maps role claims to our roles, creates the user on first sign-in, and opens a session', async () => {
    const restore = withEnv({ OIDC_ROLE_MAP: 'S8000:G8000:R8000=CLINICIAN,R5080=RECEPTIONIST' })
    try {
      const r = await signInWithOidc(profile(['S8000:G8000:R8000', 'S8001:G8005:R5080']))
      expect(r.ok).toBe(true)
      if (!r.ok) return
      expect(await userForSession(r.sessionId)).toMatchObject({ email: 'dr.oidc@nhs.net', name: 'Olu Idc', roles: ['CLINICIAN', 'RECEPTIONIST'] })
      // Roles follow the identity provider on the next sign-in.
      const again = await signInWithOidc(profile(['S8001:G8005:R5080']))
      expect(again.ok && (await userForSession(again.sessionId))?.roles).toEqual(['RECEPTIONIST'])
    } finally {
      restore()
    }
  })

  it('refuses a person with no mapped role, and audits why', async () => {
    const restore = withEnv({ OIDC_ROLE_MAP: 'R8000=CLINICIAN' })
    try {
      expect(await signInWithOidc(profile(['S1:G1:R9999'], 'nobody.mapped@nhs.net'))).toEqual({ ok: false, reason: 'no-role' })
      expect(await prisma().staffUser.count({ where: { email: 'nobody.mapped@nhs.net' } })).toBe(0)
      const row = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'auth.sign-in.oidc' }, orderBy: { id: 'desc' } })
      expect(row).toMatchObject({ outcome: 'failure', detail: { reason: 'no-role', subject: '910000000042' } })
    } finally {
      restore()
    }
  })
})
