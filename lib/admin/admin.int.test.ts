import { beforeAll, describe, expect, it } from 'vitest'
import { GET as exportCsv } from '@/app/api/audit/export/route'
import { authenticateSender } from '@/lib/senders/authenticate-sender'
import { listRecordAudit } from '@/lib/audit/list-record-audit'
import { purgeExpiredAudit } from '@/lib/audit/audit-retention'
import { searchAudit, ZAuditSearch } from '@/lib/audit/search-audit'
import { getCapabilityStatement } from '@/lib/metadata/get-capability-statement'
import { MESSAGE_DEFINITION_URLS, searchMessageDefinitions } from '@/lib/bars/message-definitions'
import { prisma } from '@/lib/db/prisma'
import { viewReferral } from '@/lib/referrals/view-referral'
import { serviceRepository } from '@/lib/services/service-repository'
import { sessionCookieFor, staffRequest } from '@/lib/testing/staff-request'
import { seed } from '@/prisma/seed'
import { ZSenderInput, ZServiceInput, ZUserCreate, ZUserUpdate } from './admin-schemas'
import { createSender, resetSenderBearerToken, updateSender } from './manage-senders'
import { createService, updateService } from './manage-services'
import { updateSettings } from './manage-settings'
import { createUser, updateUser } from './manage-users'
import { serviceAdminRepository } from './service-admin-repository'

let adminId: string
beforeAll(async () => {
  await seed(new Date())
  adminId = (await prisma().staffUser.findUniqueOrThrow({ where: { email: 'admin@demo.nhs.uk' } })).id
})

const serviceInput = (over: Record<string, unknown> = {}) =>
  ZServiceInput.parse({ dosServiceId: '4000123', name: 'Falls Response CAS', odsCode: 'RXX03', kind: 'CAS', useCases: ['a3t1', 'a4t1'], minAppVersion: '1.0.0', maxAppVersion: '1.1.0', amberMinutes: 45, redMinutes: 10, maxSlotWindowHours: 48, ...over })

describe('services: configuration the FHIR API serves, with no restart', () => {
  it('a service added by an admin is served at once: its MessageDefinitions are found and the CapabilityStatement advertises its messages', async () => {
    const before = await getCapabilityStatement()
    const received = (c: typeof before) => c.messaging!.flatMap((m) => m.supportedMessage!.map((sm) => sm.definition))
    const documented = (c: typeof before) => c.messaging!.map((m) => m.documentation).join(' ')
    expect(documented(before)).not.toContain('DoS service id 4000123')

    const created = await createService(serviceInput(), { userId: adminId, ip: '10.0.0.1' })
    const services = (await serviceAdminRepository.list()).filter((s) => s.active)
    const after = await getCapabilityStatement()
    expect(received(after)).toContain(MESSAGE_DEFINITION_URLS.validationRequest)
    expect(documented(after)).toContain('DoS service id 4000123')
    const defs = searchMessageDefinitions(services.map((s) => ({ ...s, appVersion: s.maxAppVersion })), ['https://fhir.nhs.uk/Id/dos-service-id|4000123'])
    expect(defs.entry?.length).toBeGreaterThan(0)
    expect(defs.entry!.every((e) => e.resource!.version === '1.1.0')).toBe(true)
    // and $process-message resolves it as a target
    expect(await serviceRepository.findByDosId('4000123')).toMatchObject({ name: 'Falls Response CAS', kind: 'CAS', useCases: ['a3t1', 'a4t1'] })
    expect(await prisma().auditEvent.findFirstOrThrow({ where: { action: 'admin.service.create' } })).toMatchObject({ actorId: adminId, entityId: created.id, ip: '10.0.0.1' })

    // edits apply at once too: deactivated → no longer a target
    await updateService(created.id, serviceInput({ active: false }), { userId: adminId })
    expect((await serviceRepository.findByDosId('4000123'))?.active).toBe(false)
  })

  it('links sender systems to a service; duplicate DoS ids are a 409; validation names the field', async () => {
    const sender = await prisma().senderSystem.findUniqueOrThrow({ where: { dosServiceId: '2222222222' } })
    const s = await createService(serviceInput({ dosServiceId: '4000124', senderIds: [sender.id] }), { userId: adminId })
    expect(s.senderIds).toEqual([sender.id])
    expect((await serviceRepository.findByDosId('4000124'))!.senders).toEqual([{ dosServiceId: '2222222222', odsCodes: [], active: true }])
    await expect(createService(serviceInput({ dosServiceId: '4000124' }), { userId: adminId })).rejects.toMatchObject({ kind: 'duplicate' })
    const bad = ZServiceInput.safeParse({ ...serviceInput(), minAppVersion: '2.0.0', maxAppVersion: '1.0.0', redMinutes: 50 })
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'))).toEqual(['maxAppVersion', 'redMinutes'])
    // a service's kind decides the use cases it may take: no validation requests at an emergency department
    const foreign = ZServiceInput.safeParse({ ...serviceInput(), kind: 'EMERGENCY' })
    expect(foreign.success ? [] : foreign.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['useCases: Emergency department or urgent treatment centre services cannot take a3t1, a4t1'])
  })
})

describe('sender systems', () => {
  it('creates a sender with allowed ODS codes and software ids; the outbound token is write-only', async () => {
    const s = await createSender(ZSenderInput.parse({ name: 'CAS North', kind: 'CAS', dosServiceId: '5550001', odsCodes: ['ncas1', ' NCAS2 ', ''], softwareIds: ['sw-1'], responseBaseUrl: 'https://cas.example.nhs.uk/fhir', outboundToken: 'secret-out' }), { userId: adminId })
    expect(s).toMatchObject({ odsCodes: ['NCAS1', 'NCAS2'], softwareIds: ['sw-1'], hasOutboundToken: true, hasBearerToken: false })
    expect(JSON.stringify(s)).not.toContain('secret-out')
    // saving without a new token keeps it; ticking "remove" clears it
    const kept = await updateSender(s.id, ZSenderInput.parse({ name: 'CAS North', kind: 'CAS', dosServiceId: '5550001' }), { userId: adminId })
    expect(kept.hasOutboundToken).toBe(true)
    const cleared = await updateSender(s.id, ZSenderInput.parse({ name: 'CAS North', kind: 'CAS', dosServiceId: '5550001', clearOutboundToken: true }), { userId: adminId })
    expect(cleared.hasOutboundToken).toBe(false)
  })

  it('a reset bearer token is returned once, stored only hashed, and authenticates that sender', async () => {
    const s = await createSender(ZSenderInput.parse({ name: 'Direct 111', kind: 'NHS111', dosServiceId: '5550002' }), { userId: adminId })
    const { token } = await resetSenderBearerToken(s.id, { userId: adminId })
    expect(token.length).toBeGreaterThanOrEqual(40)
    const row = await prisma().senderSystem.findUniqueOrThrow({ where: { id: s.id } })
    expect(row.bearerTokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(row.bearerTokenHash).not.toContain(token)
    expect(await authenticateSender({ certSubject: null, authorization: `Bearer ${token}` }, { requireAuth: true, trustCertHeader: false, proxySubjects: [] })).toMatchObject({ method: 'bearer', senderId: s.id })
    // a second reset invalidates the first token
    await resetSenderBearerToken(s.id, { userId: adminId })
    await expect(authenticateSender({ certSubject: null, authorization: `Bearer ${token}` }, { requireAuth: true, trustCertHeader: false, proxySubjects: [] })).rejects.toMatchObject({ kind: 'unauthorized' })
  })
})

describe('staff users', () => {
  it('creates a user with several roles; deactivating ends their sessions; an admin cannot remove their own admin role', async () => {
    const u = await createUser(ZUserCreate.parse({ email: 'New.Nurse@Demo.NHS.uk', name: 'New Nurse', roles: ['CLINICIAN', 'RECEPTIONIST'], password: 'a-long-password-1' }), { userId: adminId })
    const cookie = await sessionCookieFor('new.nurse@demo.nhs.uk', 'a-long-password-1')
    expect(cookie.userId).toBe(u.id)
    const updated = await updateUser(u.id, ZUserUpdate.parse({ name: 'New Nurse', roles: ['CLINICIAN'], active: false }), { userId: adminId })
    expect(updated).toMatchObject({ roles: ['CLINICIAN'], active: false, liveSessions: 0 })
    expect(await prisma().staffSession.count({ where: { userId: u.id, revokedAt: null } })).toBe(0)
    await expect(updateUser(adminId, ZUserUpdate.parse({ name: 'Jo Admin', roles: ['CLINICIAN'], active: true }), { userId: adminId })).rejects.toMatchObject({ kind: 'conflict' })
    await expect(createUser(ZUserCreate.parse({ email: 'new.nurse@demo.nhs.uk', name: 'Again', roles: ['CLINICIAN'], password: 'a-long-password-1' }), { userId: adminId })).rejects.toMatchObject({ kind: 'duplicate' })
  })
})

describe('audit', () => {
  it('viewing a referral creates exactly one audit row naming the user and the patient; the record tab lists it', async () => {
    const clinician = await prisma().staffUser.findUniqueOrThrow({ where: { email: 'clinician@demo.nhs.uk' } })
    const referral = await prisma().referral.findFirstOrThrow({ where: { patientNhsNumber: { not: null } } })
    const before = await prisma().auditEvent.count()
    await viewReferral(referral.id, { userId: clinician.id, ip: '10.2.3.4' })
    expect(await prisma().auditEvent.count()).toBe(before + 1)
    const rows = await prisma().auditEvent.findMany({ where: { action: 'referral.view', entityId: referral.id } })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ actorType: 'USER', actorId: clinician.id, patientNhs: referral.patientNhsNumber, entityType: 'Referral', ip: '10.2.3.4', outcome: 'success' })
    const tab = await listRecordAudit('Referral', referral.id)
    expect(tab.find((e) => e.action === 'referral.view')).toMatchObject({ who: 'Dr Alex Clinician (clinician@demo.nhs.uk)', actionLabel: 'Viewed referral', record: `Referral ${referral.caseReference}` })
  })

  it('the admin search filters by user, patient and case reference, and is itself audited', async () => {
    const referral = await prisma().referral.findFirstOrThrow({ where: { patientNhsNumber: { not: null } } })
    const { entries } = await searchAudit(ZAuditSearch.parse({ user: 'clinician@demo', caseReference: referral.caseReference.toLowerCase(), action: 'referral.view' }), { userId: adminId })
    expect(entries.map((e) => [e.who, e.patientNhs])).toEqual([['Dr Alex Clinician (clinician@demo.nhs.uk)', referral.patientNhsNumber]])
    expect((await searchAudit(ZAuditSearch.parse({ user: 'nobody-like-this' }), { userId: adminId })).entries).toEqual([])
    expect(await prisma().auditEvent.findFirstOrThrow({ where: { action: 'audit.search' }, orderBy: { id: 'desc' } })).toMatchObject({ actorId: adminId })
  })

  it('exports the matching rows as CSV (admin only)', async () => {
    const admin = await sessionCookieFor('admin@demo.nhs.uk')
    const res = await exportCsv(staffRequest('/api/audit/export?action=referral.view', { cookie: admin.cookie }))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const lines = (await res.text()).trim().split('\r\n')
    expect(lines[0]).toBe('id,time_utc,actor_type,actor_id,actor,action,entity_type,entity_id,record,patient_nhs_number,outcome,client_address,x_request_id,x_correlation_id,detail')
    expect(lines.length).toBeGreaterThan(1)
    expect(lines.slice(1).every((l) => l.includes(',referral.view,'))).toBe(true)
    const clinician = await sessionCookieFor('clinician@demo.nhs.uk')
    expect((await exportCsv(staffRequest('/api/audit/export', { cookie: clinician.cookie }))).status).toBe(403)
  })

  it('retention: rows older than the configured years are deleted by the retention job (default 8 years)', async () => {
    const now = new Date('2026-11-28T12:00:00Z')
    await prisma().auditEvent.createMany({
      data: [
        { at: new Date('2018-11-27T12:00:00Z'), actorType: 'SYSTEM', action: 'test.old', outcome: 'success' },
        { at: new Date('2018-11-29T12:00:00Z'), actorType: 'SYSTEM', action: 'test.recent', outcome: 'success' },
      ],
    })
    await purgeExpiredAudit(now)
    expect(await prisma().auditEvent.count({ where: { action: 'test.old' } })).toBe(0)
    expect(await prisma().auditEvent.count({ where: { action: 'test.recent' } })).toBe(1)
    await updateSettings({ auditRetentionYears: 5 }, { userId: adminId })
    await purgeExpiredAudit(now)
    expect(await prisma().auditEvent.count({ where: { action: 'test.recent' } })).toBe(0)
    expect(await prisma().auditEvent.findFirstOrThrow({ where: { action: 'audit.retention' }, orderBy: { id: 'desc' } })).toMatchObject({ detail: { years: 5 } })
  })
})
