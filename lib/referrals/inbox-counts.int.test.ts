/**
 * The inbox's per-state counts come from ReferralStateCount, kept by triggers in the same
 * transaction as the change (issue 10). They must equal a real count of the rows after inserts
 * (also concurrent ones, on many connections), state changes, a move between services, deletes,
 * a rolled-back change and TRUNCATE, for all services and for one; with a search filter the counts
 * are counted over the matching rows. The worklist payload holds only what a row shows.
 */
import { staffActor, type TStaffActor } from '@/lib/audit/actor'
import { beforeAll, describe, expect, it } from 'vitest'
import { POST } from '@/app/fhir/process-message/route'
import { REFERRAL_STATES, type TReferralState } from '@/lib/bars/referral-state'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { fhirRequest } from '@/lib/testing/fhir-request'
import { seed } from '@/prisma/seed'
import { acceptReferral } from './accept-referral'
import { listInbox } from './list-inbox'
import { rejectReferral } from './reject-referral'

const now = new Date()
let clinician: TStaffActor

beforeAll(async () => {
  await seed(now)
  const u = await prisma().staffUser.findUniqueOrThrow({ where: { email: 'clinician@demo.nhs.uk' } })
  clinician = staffActor(u)
})

/** The truth: count(*) per state over the Referral rows. */
async function realCounts(serviceId?: string): Promise<Record<TReferralState, number>> {
  const groups = await prisma().referral.groupBy({ by: ['state'], where: serviceId ? { serviceId } : {}, _count: { _all: true } })
  const m = new Map(groups.map((g) => [g.state, g._count._all]))
  return Object.fromEntries(REFERRAL_STATES.map((s) => [s, m.get(s) ?? 0])) as Record<TReferralState, number>
}

async function expectCountsExact() {
  expect((await listInbox({}, now)).counts).toEqual(await realCounts())
  const ed = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: '111111111' }, select: { id: true } })
  expect((await listInbox({ service: '111111111' }, now)).counts).toEqual(await realCounts(ed.id))
}

async function ingest(n: number) {
  const responses = await Promise.all(Array.from({ length: n }, () => POST(fhirRequest({ body: freshReferral({ now }) }))))
  expect(responses.map((r) => r.status)).toEqual(Array.from({ length: n }, () => 200))
}

describe('per-state counts', () => {
  it('equal the rows after the seed and after 12 concurrent ingests', async () => {
    await expectCountsExact()
    const before = (await listInbox({}, now)).counts.NEW
    await ingest(12)
    expect((await listInbox({}, now)).counts.NEW).toBe(before + 12)
    await expectCountsExact()
  })

  it('follow accept and reject, a move to another service, a rolled-back change and deletes', async () => {
    const fresh = await prisma().referral.findMany({ where: { state: 'NEW' }, select: { id: true, version: true }, take: 3 })
    await acceptReferral({ referralId: fresh[0]!.id, version: fresh[0]!.version, actor: clinician })
    await rejectReferral({ referralId: fresh[1]!.id, version: fresh[1]!.version, reasonCode: 'RRNA', reasonText: 'Counts test', actor: clinician })
    await expectCountsExact()

    const other = await prisma().service.create({
      data: { dosServiceId: '999999991', name: 'Counts test service', odsCode: 'RCT01', useCases: ['a1t1'] },
      select: { id: true },
    })
    await prisma().referral.update({ where: { id: fresh[2]!.id }, data: { serviceId: other.id } })
    await expectCountsExact()
    expect((await listInbox({ service: '999999991' }, now)).counts).toEqual(await realCounts(other.id))
    expect((await listInbox({ service: '999999991' }, now)).counts.NEW).toBe(1)

    const beforeRollback = (await listInbox({}, now)).counts
    await prisma()
      .$transaction(async (tx) => {
        await tx.referral.updateMany({ where: { state: 'NEW' }, data: { state: 'CANCELLED' } })
        throw new Error('roll back')
      })
      .catch(() => undefined)
    expect((await listInbox({}, now)).counts).toEqual(beforeRollback)

    await prisma().referral.updateMany({ where: { state: 'NEW', serviceId: other.id }, data: { state: 'ARRIVED' } })
    await expectCountsExact()
    const gone = await prisma().referral.findFirstOrThrow({ where: { serviceId: other.id }, select: { id: true } })
    await prisma().referral.delete({ where: { id: gone.id } })
    await expectCountsExact()
  })

  it('an unknown service counts nothing; a search filter counts the matching rows', async () => {
    expect(Object.values((await listInbox({ service: '000000000' }, now)).counts).every((n) => n === 0)).toBe(true)
    await POST(fhirRequest({ body: freshReferral({ now, given: 'Quentin', family: 'Countable' }) }))
    const found = await listInbox({ q: 'countable' }, now)
    expect(found.counts.NEW).toBe(1)
    expect(found.items.map((i) => i.patientName)).toEqual(['Quentin COUNTABLE'])
  })

  it('a row carries only what the worklist shows', async () => {
    const [row] = (await listInbox({}, now)).items
    expect(Object.keys(row!).sort()).toEqual(
      ['age', 'amberMinutes', 'booking', 'caseReference', 'chiefConcern', 'deadline', 'deadlineNote', 'decision', 'disposition', 'dispositionCode', 'flagCount', 'id', 'nhsNumber', 'patientName', 'redMinutes', 'safeguarding', 'sender', 'state'].sort(),
    )
  })

  it('go back to zero on TRUNCATE', async () => {
    await prisma().$executeRawUnsafe('TRUNCATE "Referral" CASCADE')
    await expectCountsExact()
    expect(Object.values((await listInbox({}, now)).counts).every((n) => n === 0)).toBe(true)
  })
})
