import type { Bundle } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import { POST } from '@/app/fhir/process-message/route'
import { GET as getMessageDefinitions } from '@/app/fhir/MessageDefinition/route'
import { GET as getMetadata } from '@/app/fhir/metadata/route'
import { GET as getServiceRequest } from '@/app/fhir/ServiceRequest/[id]/route'
import { randomNhsNumber } from '@/lib/bars/example-messages'
import { freshPharmacyCancel, freshPharmacyReferral, freshPharmacyUpdate } from '@/lib/bars/pharmacy-examples'
import { prisma } from '@/lib/db/prisma'
import { fhirRequest, fixture, outcomeCodes, readJson, target } from '@/lib/testing/fhir-request'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { routeParams } from '@/lib/testing/staff-request'
import { listInbox } from '@/lib/referrals/list-inbox'
import { seed } from '@/prisma/seed'
import { closePharmacyReferral } from './close-pharmacy-referral'
import { listPharmacyWorklist } from './list-pharmacy-worklist'
import { recordContactAttempt } from './record-contact-attempt'
import { recordPharmacyOutcome } from './record-pharmacy-outcome'
import { viewPharmacyReferral } from './view-pharmacy-referral'

const PHARMACY = '666666666'
const ED = '111111111'
let pharmacistId: string

beforeAll(async () => {
  await seed(new Date())
  pharmacistId = (await prisma().staffUser.findUniqueOrThrow({ where: { email: 'pharmacy@demo.nhs.uk' } })).id
})

async function send(body: unknown, dosId = PHARMACY, correlationId = crypto.randomUUID()) {
  const res = await POST(fhirRequest({ body, correlationId, headers: { 'nhsd-target-identifier': target(dosId) } }))
  const json = await readJson(res)
  return { status: res.status, body: json, codes: outcomeCodes(json), correlationId }
}

const entry = (b: Record<string, any>, type: string) => b.entry.find((e: any) => e.resource.resourceType === type).resource
const patient = () => ({ nhsNumber: randomNhsNumber(), family: 'Pharmtest', given: 'Jo' })

async function refer(opts: { reasonableAdjustments?: boolean } = {}) {
  const p = patient()
  const r = await send(freshPharmacyReferral({ now: new Date(), patient: p, reasonableAdjustments: opts.reasonableAdjustments }))
  expect(r.status).toBe(200)
  return { ...r, patient: p, id: entry(r.body, 'ServiceRequest').id as string }
}

describe('REFREQ03 at the demo pharmacy (App 5, a5t1)', () => {
  it('answers 200 with our ids (ServiceRequest, Condition, Task, HealthcareService) and a planned Encounter, and stores the referral with its first version', async () => {
    const p = patient()
    const { status, body } = await send(freshPharmacyReferral({ now: new Date(), patient: p, reasonableAdjustments: true }))
    expect(status).toBe(200)
    expectValidFhir(body as Bundle)
    const sr = entry(body, 'ServiceRequest')
    const service = await prisma().service.findUniqueOrThrow({ where: { dosServiceId: PHARMACY } })
    expect(entry(body, 'HealthcareService').id).toBe(service.id)
    expect(entry(body, 'Condition').id).toMatch(/^[0-9a-f-]{36}$/)
    expect(entry(body, 'Task').id).not.toBe('d0f8ec8e-0602-4d02-af8a-7b3cb72be5c0') // the sender's id is replaced by ours (A5.13)
    const planned = body.entry.map((e: any) => e.resource).find((r: any) => r.resourceType === 'Encounter' && r.status === 'planned')
    expect(planned.identifier[0].value).toMatch(/^[A-Z]+-\d{6}$/)

    const referral = await prisma().referral.findUniqueOrThrow({ where: { id: sr.id }, include: { versions: true, pharmacy: true } })
    expect(referral.serviceId).toBe(service.id)
    expect(referral.useCase).toBe('a5t1')
    expect(referral.patientNhsNumber).toBe(p.nhsNumber)
    expect(referral.versions).toHaveLength(1)
    expect(referral.pharmacy?.referringOrgName).toBe('Sender Organization')
    expect(referral.pharmacy?.referringOrgOds).toBe('RND')
    expect(referral.pharmacy?.condition).toBe('Vomiting')
    expect(referral.pharmacy?.adjustmentCount).toBe(2)
    expect(referral.pharmacy?.guideTimeSource).toBe('service-request')
  })

  it('shows the referral on the pharmacist worklist with the referring organisation, its type "not stated", the adjustments and the condition; search finds it by NHS number and by name', async () => {
    const r = await refer({ reasonableAdjustments: true })
    const { items } = await listPharmacyWorklist({ q: r.patient.nhsNumber })
    expect(items).toHaveLength(1)
    const item = items[0]!
    expect(item.id).toBe(r.id)
    expect(item.referringOrg).toEqual({ name: 'Sender Organization', odsCode: 'RND', type: 'type not stated' })
    expect(item.adjustments).toEqual(['Provision of Additional Support', 'Environment'])
    expect(item.condition).toBe('Vomiting')
    expect(item.contact).toBe('07736312544') // the patient's rank-1 phone
    expect(item.consent).toBe('Direct Care (implied), active')
    const byName = await listPharmacyWorklist({ q: 'jo pharmtest' })
    expect(byName.items.map((i) => i.id)).toContain(r.id)
  })

  it('orders the open worklist by the guide time', async () => {
    const a = await refer()
    const b = await refer()
    // b's guide time earlier than a's: b comes first.
    await prisma().pharmacyReferral.update({ where: { referralId: b.id }, data: { guideTime: new Date(Date.now() - 3_600_000) } })
    const { items } = await listPharmacyWorklist({})
    const ids = items.map((i) => i.id)
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id))
    const times = items.map((i) => i.guideTime)
    expect([...times].sort()).toEqual(times)
  })

  it('accepts a referral whose patient has no NHS number (A5.5) and shows it as not provided', async () => {
    const b = freshPharmacyReferral({ now: new Date(), patient: { family: 'Nonumber', given: 'Noor' } })
    const pat = b.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as { identifier?: unknown[] }
    delete pat.identifier
    const { status, body } = await send(b)
    expect(status).toBe(200)
    const id = entry(body, 'ServiceRequest').id
    const item = (await listPharmacyWorklist({ q: 'noor nonumber' })).items.find((i) => i.id === id)
    expect(item?.nhsNumber).toBeNull()
  })

  it('the same referral sent to the ED (111111111) is refused with 422: a5t1 is no use case of the ED', async () => {
    const { status, codes, body } = await send(freshPharmacyReferral({ now: new Date(), dosId: ED }), ED)
    expect(status).toBe(422)
    expect(codes).toEqual({ rec: 'REC_UNPROCESSABLE_ENTITY', issue: 'not-supported' })
    expect(body.issue[0].diagnostics).toContain('a5t1')
  })

  it('refuses the withdrawn App 5 use cases (REFREQ06 a5t3, REFREQ07 a5t2) at the pharmacy with 422 (A5.1)', async () => {
    for (const name of ['REFREQ06_Referral_Service_Request_New_Full_GP_to_BP_ABPM.json', 'REFREQ07_Referral_Service_Request_New_Full_GP_to_OC.json']) {
      const b = fixture<Record<string, any>>(name)
      b.id = crypto.randomUUID()
      b.entry[0].resource.destination[0].endpoint = `https://fhir.nhs.uk/Id/dos-service-id|${PHARMACY}`
      const { status, codes } = await send(b)
      expect(status).toBe(422)
      expect(codes.rec).toBe('REC_UNPROCESSABLE_ENTITY')
    }
  })

  it('a cancellation answers 200, keeps the cancellation as a second version and takes the referral off the open worklist', async () => {
    const r = await refer()
    const cancel = await send(freshPharmacyCancel({ now: new Date(), serviceRequestId: r.id, patient: r.patient }), PHARMACY, r.correlationId)
    expect(cancel.status).toBe(200)
    expectValidFhir(cancel.body as Bundle)
    expect(entry(cancel.body, 'ServiceRequest').id).toBe(r.id)
    const referral = await prisma().referral.findUniqueOrThrow({ where: { id: r.id }, include: { versions: true } })
    expect(referral.fhirStatus).toBe('revoked')
    expect(referral.versions).toHaveLength(2)
    expect((await listPharmacyWorklist({ q: r.patient.nhsNumber })).items).toHaveLength(0)
    expect((await listPharmacyWorklist({ q: r.patient.nhsNumber, tab: 'cancelled' })).items.map((i) => i.id)).toEqual([r.id])
    // The pharmacist can no longer act on it.
    await expect(recordPharmacyOutcome({ referralId: r.id, version: 1, outcome: 'ADVICE', actor: { userId: pharmacistId } })).rejects.toMatchObject({ kind: 'conflict' })
  })

  it('a content update (reason update, ServiceRequest active) is refused with 400 invariant: App 5 re-refers instead (A5.4, Q22), and nothing changes', async () => {
    const r = await refer()
    const upd = await send(freshPharmacyUpdate({ now: new Date(), serviceRequestId: r.id, patient: r.patient }), PHARMACY, r.correlationId)
    expect(upd.status).toBe(400)
    expect(upd.codes).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'invariant' })
    const referral = await prisma().referral.findUniqueOrThrow({ where: { id: r.id }, include: { versions: true } })
    expect(referral.fhirStatus).toBe('active')
    expect(referral.versions).toHaveLength(1)
  })

  it('re-refer: cancel then a new referral in the same conversation is accepted as a new case', async () => {
    const r = await refer()
    expect((await send(freshPharmacyCancel({ now: new Date(), serviceRequestId: r.id, patient: r.patient }), PHARMACY, r.correlationId)).status).toBe(200)
    const again = await send(freshPharmacyReferral({ now: new Date(), patient: r.patient }), PHARMACY, r.correlationId)
    expect(again.status).toBe(200)
    expect(entry(again.body, 'ServiceRequest').id).not.toBe(r.id)
  })
})

describe('pharmacist actions', () => {
  it('records a contact attempt, an outcome and closes; the referral reads completed to the sender and a later cancellation is 409', async () => {
    const r = await refer()
    const actor = { userId: pharmacistId }
    const a = await recordContactAttempt({ referralId: r.id, method: 'PHONE', result: 'NO_ANSWER', actor })
    expect(a.version).toBe(2)
    // Closing before an outcome is refused (and the database CHECK would refuse it too).
    await expect(closePharmacyReferral({ referralId: r.id, version: 2, actor })).rejects.toMatchObject({ kind: 'conflict' })
    // A stale version is refused.
    await expect(recordPharmacyOutcome({ referralId: r.id, version: 1, outcome: 'ADVICE', actor })).rejects.toMatchObject({ kind: 'stale-version' })
    const o = await recordPharmacyOutcome({ referralId: r.id, version: 2, outcome: 'MEDICINE_SUPPLIED', note: 'Supplied an antiemetic', actor })
    expect(o).toEqual({ version: 3, status: 'OUTCOME_RECORDED' })
    const c = await closePharmacyReferral({ referralId: r.id, version: 3, actor })
    expect(c.status).toBe('CLOSED')

    const view = await viewPharmacyReferral(r.id)
    expect(view.outcome).toBe('MEDICINE_SUPPLIED')
    expect(view.outcomeBy).toBe('Priya Pharmacist')
    expect(view.contactAttempts).toHaveLength(1)
    expect((await listPharmacyWorklist({ q: r.patient.nhsNumber })).items).toHaveLength(0)
    expect((await listPharmacyWorklist({ q: r.patient.nhsNumber, tab: 'closed' })).items).toHaveLength(1)

    const audit = await prisma().auditEvent.findMany({ where: { entityId: r.id, action: { startsWith: 'pharmacy.' } }, orderBy: { id: 'asc' } })
    expect(audit.map((e) => e.action)).toEqual(['pharmacy.contact-attempt', 'pharmacy.outcome', 'pharmacy.close'])
    expect(await prisma().liveEvent.count({ where: { entityId: r.id, type: 'referral.updated' } })).toBe(3)

    const read = await getServiceRequest(fhirRequest({ path: `/fhir/ServiceRequest/${r.id}`, headers: { 'nhsd-target-identifier': target(PHARMACY) } }), routeParams({ id: r.id }))
    expect(read.status).toBe(200)
    expect((await readJson(read)).status).toBe('completed')

    const late = await send(freshPharmacyCancel({ now: new Date(), serviceRequestId: r.id, patient: r.patient }), PHARMACY, r.correlationId)
    expect(late.status).toBe(409)
    expect(late.codes).toEqual({ rec: 'REC_CONFLICT', issue: 'conflict' })
  })

  it('the database refuses a closed row without an outcome (CHECK constraint)', async () => {
    const r = await refer()
    await expect(prisma().pharmacyReferral.update({ where: { referralId: r.id }, data: { status: 'CLOSED', closedAt: new Date() } })).rejects.toThrow(/outcome_before_close/)
  })

  it('of two pharmacists recording an outcome at the same version, exactly one wins', async () => {
    const r = await refer()
    const actor = { userId: pharmacistId }
    const results = await Promise.allSettled([
      recordPharmacyOutcome({ referralId: r.id, version: 1, outcome: 'ADVICE', actor }),
      recordPharmacyOutcome({ referralId: r.id, version: 1, outcome: 'ONWARD_REFERRAL', actor }),
    ])
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1)
    expect(results.filter((x) => x.status === 'rejected')).toHaveLength(1)
  })
})

describe('what the pharmacy advertises', () => {
  it('GET /MessageDefinition with the TKW App 5 contexts (service + a5t1): the referral and cancellation definitions, version 1.2.0, no bookings', async () => {
    const q = `context=${encodeURIComponent(`https://fhir.nhs.uk/Id/dos-service-id|${PHARMACY}`)}&context=${encodeURIComponent('https://fhir.nhs.uk/CodeSystem/usecases-categories-bars|a5t1')}`
    const res = await getMessageDefinitions(fhirRequest({ path: `/fhir/MessageDefinition?${q}` }))
    expect(res.status).toBe(200)
    const body = await readJson(res)
    expectValidFhir(body as Bundle)
    const urls = body.entry.map((e: any) => e.resource.url)
    expect(urls).toEqual([
      'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral',
      'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-cancelled',
    ])
    expect(body.entry.map((e: any) => e.resource.version)).toEqual(['1.2.0', '1.2.0'])
    const codes = body.entry[0].resource.useContext.flatMap((u: any) => u.valueCodeableConcept.coding.map((c: any) => c.code))
    expect(codes).toEqual([PHARMACY, 'a5t1'])
  })

  it('the CapabilityStatement for the pharmacy lists the referral and cancellation it receives', async () => {
    const res = await getMetadata(fhirRequest({ path: '/fhir/metadata', headers: { 'nhsd-target-identifier': target(PHARMACY) } }))
    expect(res.status).toBe(200)
    const body = await readJson(res)
    const received = body.messaging[0].supportedMessage.filter((m: any) => m.mode === 'receiver').map((m: any) => m.definition)
    expect(received).toEqual([
      'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral',
      'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-cancelled',
    ])
  })
})

describe('each worklist shows its own kind of service', () => {
  it("the emergency department's inbox (all services) never lists a pharmacy referral, in its rows or its counts", async () => {
    const before = await listInbox({})
    const r = await refer()
    const after = await listInbox({})
    expect(after.items.map((i) => i.id)).not.toContain(r.id)
    expect(after.counts.NEW).toBe(before.counts.NEW)
    expect((await listInbox({ q: 'Pharmtest' })).items.map((i) => i.id)).not.toContain(r.id)
    // …while the pharmacist's worklist has it.
    expect((await listPharmacyWorklist({})).items.map((i) => i.id)).toContain(r.id)
  })
})
