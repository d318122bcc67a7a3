import type { Bundle, ServiceRequest } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import { staffActor, type TStaffActor } from '@/lib/audit/actor'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { isAppError } from '@/lib/errors/app-error'
import { processMessage } from '@/lib/messages/process-message'
import { countStuckResponses } from '@/lib/outbox/count-stuck-responses'
import { serviceRepository } from '@/lib/services/service-repository'
import { viewSlotWindow } from '@/lib/slots/view-slot-window'
import { seed } from '@/prisma/seed'
import { acceptReferral } from './accept-referral'
import { REJECT_TEXT_MAX, ZReject } from './action-schemas'
import { getReferralActivity } from './get-referral-activity'
import { listInbox } from './list-inbox'
import { listRebookWindows } from './list-rebook-windows'
import { markDidNotAttend } from './mark-did-not-attend'
import { rebookReferral } from './rebook-referral'

/** Issue 11 (triage safety) against a real database: derived deadlines, DNA timing, stuck responses, rebook marking. */
let clinician: TStaffActor

beforeAll(async () => {
  await seed(new Date())
  const u = await prisma().staffUser.findUniqueOrThrow({ where: { email: 'clinician@demo.nhs.uk' } })
  clinician = staffActor(u)
})

async function receive(opts: { family: string; deadlineMinutes?: number; noDeadline?: boolean; sentMinutesAgo?: number }) {
  const now = new Date()
  const bundle: Bundle = freshReferral({ now, family: opts.family, given: 'Test', deadlineMinutes: opts.deadlineMinutes, safeguarding: false })
  if (opts.sentMinutesAgo) bundle.timestamp = new Date(now.getTime() - opts.sentMinutesAgo * 60_000).toISOString()
  if (opts.noDeadline) {
    const sr = bundle.entry!.find((e) => e.resource?.resourceType === 'ServiceRequest')!.resource as ServiceRequest
    delete sr.occurrencePeriod!.end
  }
  const service = (await serviceRepository.findByDosId('111111111'))!
  const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
  const reply = await processMessage({ service, ...ids, nhsd: { undecodable: [] }, auditHeaders: {}, body: bundle })
  const sr = reply.entry!.find((e) => e.resource!.resourceType === 'ServiceRequest')!.resource as ServiceRequest
  return { id: sr.id!, bundle }
}

async function errorOf(p: Promise<unknown>) {
  return p.then(
    () => null,
    (e: unknown) => e,
  )
}

describe('a deadline for every open referral', () => {
  it('derives DX02 + 1 hour from Bundle.timestamp when the sender gives no occurrencePeriod.end, stored as DERIVED', async () => {
    const r = await receive({ family: 'Derived', noDeadline: true, sentMinutesAgo: 10 })
    const row = await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })
    expect(row.dispositionCode).toBe('DX02')
    expect(row.deadlineSource).toBe('DERIVED')
    expect(row.deadline!.toISOString()).toBe(new Date(Date.parse(r.bundle.timestamp!) + 60 * 60_000).toISOString())
  })

  it("keeps the sender's deadline as EXPLICIT", async () => {
    const r = await receive({ family: 'Explicit', deadlineMinutes: 177 })
    const row = await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })
    expect(row.deadlineSource).toBe('EXPLICIT')
    const sr = r.bundle.entry!.find((e) => e.resource?.resourceType === 'ServiceRequest')!.resource as ServiceRequest
    expect(row.deadline!.toISOString()).toBe(new Date(sr.occurrencePeriod!.end!).toISOString())
  })

  it('sorts the worklist by the derived deadline: "within 1 hour" comes before 2 h 57 min left, and says where it came from', async () => {
    const later = await receive({ family: 'Laterone', deadlineMinutes: 177 })
    const derived = await receive({ family: 'Dxtwo', noDeadline: true })
    const { items } = await listInbox({})
    const at = (id: string) => items.findIndex((i) => i.id === id)
    expect(at(derived.id)).toBeGreaterThanOrEqual(0)
    expect(at(derived.id)).toBeLessThan(at(later.id))
    expect(items[at(derived.id)]!.deadlineNote).toBe('derived from DX02 (within 1 hour)')
    expect(items[at(later.id)]!.deadlineNote).toBeNull()
  })

  it('the database refuses a deadline without its source, and a source without a deadline', async () => {
    const r = await receive({ family: 'Checked', deadlineMinutes: 30 })
    await expect(prisma().$executeRaw`UPDATE "Referral" SET "deadlineSource" = NULL WHERE "id" = ${r.id}::uuid`).rejects.toThrow(/Referral_deadline_source_check/)
    await expect(prisma().$executeRaw`UPDATE "Referral" SET "deadline" = NULL WHERE "id" = ${r.id}::uuid`).rejects.toThrow(/Referral_deadline_source_check/)
  })
})

describe('did not attend and the arrival window', () => {
  it('is refused before the booked window starts, changing nothing, and allowed once it has started', async () => {
    const r = await receive({ family: 'Early', deadlineMinutes: 600 })
    const service = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: '111111111' } })
    const slot = await prisma().slot.findFirstOrThrow({ where: { serviceId: service.id, start: { gt: new Date(Date.now() + 60 * 60_000) }, booked: 0 }, orderBy: { start: 'asc' } })
    await rebookReferral({ referralId: r.id, version: 1, slotId: slot.id, actor: clinician })
    // Reception sees who made it: a clinician, not the sender (issue 11, finding 14).
    const desk = await viewSlotWindow({ slotId: slot.id, roles: ['RECEPTIONIST'] })
    expect(desk.bookings.find((b) => b.referral?.id === r.id)?.source).toBe('clinician')

    const e = await errorOf(markDidNotAttend({ referralId: r.id, version: 2, actor: clinician }))
    expect(isAppError(e) && e.kind).toBe('conflict')
    expect((e as Error).message).toMatch(/before their arrival window starts/)
    expect(await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ state: 'BOOKED', version: 2 })
    expect((await prisma().booking.findFirstOrThrow({ where: { referralId: r.id, slotId: slot.id } })).status).toBe('booked')
    expect((await prisma().outboxMessage.findMany({ where: { referralId: r.id } })).map((m) => m.kind)).toEqual(['rebook'])

    // One minute into the window it is allowed.
    await markDidNotAttend({ referralId: r.id, version: 2, actor: clinician, now: new Date(slot.start.getTime() + 60_000) })
    expect((await prisma().booking.findFirstOrThrow({ where: { referralId: r.id, slotId: slot.id } })).status).toBe('noshow')
    expect(await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ state: 'DID_NOT_ATTEND' })
  })
})

describe('rebook windows and the deadline', () => {
  it('marks every window that starts at or after the deadline, and lists those before it first', async () => {
    const r = await receive({ family: 'Rebookdl', deadlineMinutes: 120 })
    const windows = await listRebookWindows(r.id)
    const row = await prisma().referral.findUniqueOrThrow({ where: { id: r.id } })
    expect(windows.length).toBeGreaterThan(0)
    for (const w of windows) expect(w.afterDeadline).toBe(Date.parse(w.start) >= row.deadline!.getTime())
    const firstAfter = windows.findIndex((w) => w.afterDeadline)
    if (firstAfter >= 0) expect(windows.slice(firstAfter).every((w) => w.afterDeadline)).toBe(true)
    expect(windows.some((w) => w.afterDeadline)).toBe(true) // 48 windows of 30 minutes reach past a 2-hour deadline
  })
})

describe('a response stuck in the outbox', () => {
  it('is marked stuck on the referral after its first retries, and counted for the header', async () => {
    const r = await receive({ family: 'Stuckone', deadlineMinutes: 60 })
    await acceptReferral({ referralId: r.id, version: 1, actor: clinician })
    const msg = await prisma().outboxMessage.findFirstOrThrow({ where: { referralId: r.id } })
    const before = await countStuckResponses()

    await prisma().outboxMessage.update({ where: { id: msg.id }, data: { attempts: 2, lastError: 'network error' } })
    expect((await getReferralActivity(r.id)).responses[0]).toMatchObject({ status: 'PENDING', attempts: 2, stuck: false })
    expect((await countStuckResponses()).count).toBe(before.count)

    await prisma().outboxMessage.update({ where: { id: msg.id }, data: { attempts: 3 } })
    const activity = await getReferralActivity(r.id)
    expect(activity.responses[0]).toMatchObject({ status: 'PENDING', attempts: 3, stuck: true })
    expect(activity.responses[0]!.nextAttemptAt).not.toBeNull()
    const after = await countStuckResponses()
    expect(after.count).toBe(before.count + 1)

    await prisma().outboxMessage.update({ where: { id: msg.id }, data: { status: 'DELIVERED', deliveredAt: new Date() } })
    expect((await getReferralActivity(r.id)).responses[0]!.stuck).toBe(false)
    expect((await countStuckResponses()).count).toBe(before.count)
  })
})

describe('reject text', () => {
  it('is limited to what the response can carry', () => {
    expect(ZReject.safeParse({ version: 1, reasonCode: 'OTH', reasonText: 'x'.repeat(REJECT_TEXT_MAX) }).success).toBe(true)
    expect(ZReject.safeParse({ version: 1, reasonCode: 'OTH', reasonText: 'x'.repeat(REJECT_TEXT_MAX + 1) }).success).toBe(false)
  })
})
