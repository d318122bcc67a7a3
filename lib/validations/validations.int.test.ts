import type { Bundle, CarePlan, Encounter, MessageHeader } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import { POST } from '@/app/fhir/process-message/route'
import { parseMessage } from '@/lib/bars/message'
import { checkConformance, definitionFor, MESSAGE_DEFINITION_URLS } from '@/lib/bars/message-definitions'
import { CAD_REFERENCE_SYSTEM, type TFullResponse } from '@/lib/bars/validation-responses'
import { prisma } from '@/lib/db/prisma'
import { freshCasMessage, type TCasExample } from '@/lib/demo/demo-validations'
import { fhirRequest, outcomeCodes, readJson, target } from '@/lib/testing/fhir-request'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { seed } from '@/prisma/seed'
import { completeValidation } from './complete-validation'
import { rejectValidation } from './reject-validation'
import { startValidation } from './start-validation'
import { validationQueries } from './validation-repository'
import { listCasReferrals, viewCasReferral } from './view-cas-referral'

let casId: string
let clinicianId: string
let otherClinicianId: string

beforeAll(async () => {
  await seed(new Date())
  casId = (await prisma().service.findFirstOrThrow({ where: { dosServiceId: '555555555' } })).id
  clinicianId = (await prisma().staffUser.findFirstOrThrow({ where: { email: 'cas@demo.nhs.uk' } })).id
  otherClinicianId = (await prisma().staffUser.findFirstOrThrow({ where: { email: 'clinician@demo.nhs.uk' } })).id
})

async function send(body: unknown, opts: { correlationId?: string; to?: string } = {}) {
  const res = await POST(fhirRequest({ body, correlationId: opts.correlationId, headers: { 'nhsd-target-identifier': target(opts.to ?? '555555555') } }))
  const json = await readJson(res)
  return { status: res.status, body: json, codes: outcomeCodes(json) }
}

const msg = (name: TCasExample, o: Parameters<typeof freshCasMessage>[1] = { now: new Date() }) => freshCasMessage(name, o)
const resources = (b: Bundle, type: string) => (b.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type)
const header = (b: Bundle) => b.entry![0]!.resource as MessageHeader

/** Every response we emit: valid R4 and conformant to the national MessageDefinition it names. */
function expectConformant(b: Bundle, definition: string) {
  expectValidFhir(b)
  const m = parseMessage(b)
  expect(m.definition).toBe(definition)
  checkConformance(m, definitionFor(m.definition)!)
}

async function newCase(name: TCasExample = 'VALREQ01', breachMinutes = 20) {
  const correlationId = crypto.randomUUID()
  const r = await send(msg(name, { now: new Date(), breachMinutes }), { correlationId })
  expect(r.status).toBe(200)
  const sr = resources(r.body as Bundle, 'ServiceRequest')[0]!
  return { correlationId, id: sr.id!, reply: r.body as Bundle }
}

async function outboxOf(validationId: string) {
  return prisma().outboxMessage.findMany({ where: { validationId }, orderBy: { createdAt: 'asc' } })
}

const FORM: TFullResponse = {
  outcome: 'dispatch',
  arpCode: 'C3',
  sgCode: 'SG1137',
  sdCode: 'SD4033',
  dxCode: 'Dx0122',
  summary: 'Validated by the CAS clinician: breathlessness persists.',
  sceneSafety: 'S',
  consentConfirmed: true,
}

describe('App 4 validation requests at the CAS (555555555)', () => {
  it('VALREQ01 → 200 with our ids and our planned Encounter (A4.7), stored with its breach time, ARP and clock start (A4.4, A4.5)', async () => {
    const { id, reply, correlationId } = await newCase('VALREQ01', 20)
    expectValidFhir(reply)
    const encounters = resources(reply, 'Encounter') as Encounter[]
    const planned = encounters.find((e) => e.status === 'planned')!
    expect(planned.identifier?.[0]?.value).toMatch(/^CAS-\d{6}$/)
    const v = await prisma().validationCase.findUniqueOrThrow({ where: { id }, include: { versions: true } })
    expect(v).toMatchObject({ state: 'RECEIVED', correlationId, encounterId: planned.id, arpCode: 'C3', originalArpCode: 'C3', sceneSafety: 'S', useCase: 'a4t1' })
    expect(v.breachAt.getTime()).toBeGreaterThan(Date.now() + 19 * 60_000)
    expect(v.clockStart).not.toBeNull()
    expect(v.versions).toHaveLength(1)
    expect(await prisma().liveEvent.count({ where: { type: 'validation.received', entityId: id } })).toBe(1)
  })

  it('VALREQ03 (AMPDS 10A01, ARP C4) → 200, and the same Bundle.id as VALREQ01 is not treated as a duplicate (Q23)', async () => {
    const b = msg('VALREQ03')
    b.id = '86e3371d-1c15-4862-9552-d9560f8292ba'
    const r = await send(b)
    expect(r.status).toBe(200)
    const id = resources(r.body as Bundle, 'ServiceRequest')[0]!.id!
    expect(await prisma().validationCase.findUniqueOrThrow({ where: { id } })).toMatchObject({ arpCode: 'C4' })
  })

  it('a CarePlan that is not active → 400 invariant (A4.1)', async () => {
    const b = msg('VALREQ01')
    for (const e of b.entry!) if (e.resource?.resourceType === 'CarePlan') (e.resource as CarePlan).status = 'completed'
    const r = await send(b)
    expect(r.status).toBe(400)
    expect(r.codes).toEqual({ rec: 'REC_BAD_REQUEST', issue: 'invariant' })
    expect(r.body.issue[0].diagnostics).toContain("Careplan.status of 'active'")
  })

  it('without the incident Location (1..1 in the validation MessageDefinition) → 400 invariant (A4.3)', async () => {
    const b = msg('VALREQ01')
    b.entry = b.entry!.filter((e) => e.resource?.resourceType !== 'Location')
    const r = await send(b)
    expect(r.status).toBe(400)
    expect(r.body.issue[0].diagnostics).toContain('requires at least 1 Location')
  })

  it('a validation request addressed to the ED (111111111) → 422 not-supported (A4.2)', async () => {
    const r = await send(msg('VALREQ01', { now: new Date(), destination: '111111111' }), { to: '111111111' })
    expect(r.status).toBe(422)
    expect(r.codes).toEqual({ rec: 'REC_UNPROCESSABLE_ENTITY', issue: 'not-supported' })
  })

  it('a second new request in the same conversation while one is open → 409 (partial unique index)', async () => {
    const { correlationId } = await newCase()
    const r = await send(msg('VALREQ01'), { correlationId })
    expect(r.status).toBe(409)
    expect(r.codes.rec).toBe('REC_CONFLICT')
  })

  it('VALREQ02 (lower priority) updates the case: new version, breach time moved, ARP change shown, queue re-ordered (A4.8, A4.9, Q24)', async () => {
    const a = await newCase('VALREQ01', 5)
    const b = await newCase('VALREQ01', 15)
    const queue = async () => (await validationQueries.queue([casId])).map((r) => r.id).filter((id) => id === a.id || id === b.id)
    expect(await queue()).toEqual([a.id, b.id])

    const update = msg('VALREQ02', { now: new Date(), breachMinutes: 40 })
    const r = await send(update, { correlationId: a.correlationId })
    expect(r.status).toBe(200)
    expectValidFhir(r.body as Bundle)
    expect(resources(r.body as Bundle, 'ServiceRequest')[0]!.id).toBe(a.id)
    const v = await prisma().validationCase.findUniqueOrThrow({ where: { id: a.id }, include: { versions: { orderBy: { version: 'asc' } } } })
    expect(v.versions.map((x) => x.version)).toEqual([1, 2])
    expect(v.arpCode).toBeNull()
    expect(v.originalArpCode).toBe('C3')
    expect(v.breachAt.getTime()).toBeGreaterThan(Date.now() + 39 * 60_000)
    const fields = (v.lastChange as { field: string }[]).map((c) => c.field)
    expect(fields).toEqual(expect.arrayContaining(['Breach time', 'ARP category', 'Scene safety', 'Triage outcome']))
    expect(await queue()).toEqual([b.id, a.id])
    expect(await prisma().liveEvent.count({ where: { type: 'validation.updated', entityId: a.id } })).toBe(1)
  })

  it('SERVREQ02 (entered-in-error) cancels the case: off the queue; a later update or cancel → 409 (A4.11, Q10)', async () => {
    const { id, correlationId } = await newCase()
    const r = await send(msg('SERVREQ02'), { correlationId })
    expect(r.status).toBe(200)
    expect(await prisma().validationCase.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'CANCELLED', fhirStatus: 'entered-in-error' })
    expect((await validationQueries.queue([casId])).some((q) => q.id === id)).toBe(false)
    expect((await send(msg('VALREQ02'), { correlationId })).status).toBe(409)
    expect((await send(msg('SERVREQ02'), { correlationId })).status).toBe(409)
    await expect(startValidation({ validationId: id, actor: { userId: clinicianId } })).rejects.toMatchObject({ kind: 'conflict' })
  })
})

describe('App 3 referrals at the CAS', () => {
  it('REFREQ02 → 200 with our planned Encounter (A3.9); an update (reason update, SR active) → 400 invariant (A3.5, Q1)', async () => {
    const correlationId = crypto.randomUUID()
    const r = await send(msg('REFREQ02'), { correlationId })
    expect(r.status).toBe(200)
    expectValidFhir(r.body as Bundle)
    expect((resources(r.body as Bundle, 'Encounter') as Encounter[]).some((e) => e.status === 'planned')).toBe(true)
    const update = msg('REFREQ02')
    ;(update.entry![0]!.resource as MessageHeader).reason!.coding![0]!.code = 'update'
    const u = await send(update, { correlationId })
    expect(u.status).toBe(400)
    expect(u.codes.issue).toBe('invariant')

    // On the CAS screen: listed by call-back time, with the 999 content (A3.11–A3.16).
    const id = resources(r.body as Bundle, 'ServiceRequest')[0]!.id!
    const row = (await listCasReferrals({ id: clinicianId })).find((x) => x.id === id)!
    expect(Date.parse(row.callBackBy!)).toBeGreaterThan(Date.now())
    const view = await viewCasReferral(id)
    expect(view.content.sceneSafety).toMatchObject({ code: 'UNK', sent: false })
    expect(view.content.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['SD4501', 'SG1011', 'Dx335']))
    expect(view.content.incidentLocation?.fields.length).toBeGreaterThan(0)
    await expect(viewCasReferral('not-a-uuid')).rejects.toMatchObject({ kind: 'not-found' })
  })
})

describe('clinician actions and the responses we send', () => {
  it('start: of 50 clinicians starting at once exactly one wins; one interim accept in the outbox (A4.20, A4.22–A4.24)', async () => {
    const { id, correlationId, reply } = await newCase()
    const users = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        prisma().staffUser.create({ data: { email: `cas-${crypto.randomUUID()}@test.nhs.uk`, name: `Clinician ${i}`, passwordHash: 'x', roles: ['CLINICIAN'] }, select: { id: true } }),
      ),
    )
    const results = await Promise.allSettled(users.map((u) => startValidation({ validationId: id, actor: { userId: u.id } })))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ kind: 'conflict' })
    const out = await outboxOf(id)
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ kind: 'validation-interim-accept', correlationId, targetEndpoint: 'https://fhir.nhs.uk/Id/dos-service-id|2222222222' })
    const b = out[0]!.bundle as unknown as Bundle
    expectConformant(b, MESSAGE_DEFINITION_URLS.validationResponseInterim)
    const h = header(b)
    expect(h.reason?.coding?.[0]?.code).toBe('new')
    expect(h.response?.identifier).toBe((await prisma().validationCase.findUniqueOrThrow({ where: { id } })).bundleId)
    expect(h.destination?.[0]?.endpoint).toBe('https://fhir.nhs.uk/Id/dos-service-id|2222222222')
    expect(h.source?.endpoint).toBe('https://fhir.nhs.uk/Id/dos-service-id|555555555')
    const planned = (resources(reply, 'Encounter') as Encounter[]).find((e) => e.status === 'planned')!
    const ours = (resources(b, 'Encounter') as Encounter[]).find((e) => e.id === planned.id)!
    expect(h.focus?.[0]?.reference).toBe(`urn:uuid:${planned.id}`)
    expect(ours.status).toBe('in-progress')
    expect(ours.reasonCode?.[0]?.coding?.[0]?.code).toBe('validation-triage-outcome')
    expect(ours.period?.end).toBeUndefined()
    expect(resources(b, 'ServiceRequest')[0]).toMatchObject({ id, status: 'active' })
  })

  it('complete after start with a C2 upgrade: needs the CAD reference; full response with CarePlan active, ARP C2, the third Encounter, reason update, clock start now (A4.31–A4.38)', async () => {
    const { id } = await newCase()
    await startValidation({ validationId: id, actor: { userId: clinicianId } })
    await expect(completeValidation({ validationId: id, form: { ...FORM, arpCode: 'C2' }, actor: { userId: otherClinicianId } })).rejects.toMatchObject({ kind: 'invalid' })
    await expect(completeValidation({ validationId: id, form: { ...FORM, arpCode: 'C2', cadReference: 'S2201240528' }, actor: { userId: otherClinicianId } })).rejects.toMatchObject({ kind: 'conflict' })
    const before = Date.now()
    await completeValidation({ validationId: id, form: { ...FORM, arpCode: 'C2', cadReference: 'S2201240528', sceneSafety: 'U' }, actor: { userId: clinicianId } })
    const out = await outboxOf(id)
    expect(out.map((o) => o.kind)).toEqual(['validation-interim-accept', 'validation-full'])
    const b = out[1]!.bundle as unknown as Bundle
    expectConformant(b, MESSAGE_DEFINITION_URLS.validationResponseFull)
    expect(header(b).reason?.coding?.[0]?.code).toBe('update')
    const cp = resources(b, 'CarePlan')[0] as CarePlan
    expect(cp.status).toBe('active')
    const codes = cp.activity![0]!.outcomeCodeableConcept!.flatMap((c) => c.coding ?? []).map((c) => c.code)
    expect(codes).toEqual(expect.arrayContaining(['C2', 'SG1137', 'SD4033', 'Dx0122']))
    expect(Date.parse(cp.period!.start!)).toBeGreaterThanOrEqual(before - 1000)
    const encounters = resources(b, 'Encounter') as Encounter[]
    expect(encounters).toHaveLength(3)
    expect(encounters.find((e) => e.identifier?.[0]?.system === CAD_REFERENCE_SYSTEM)?.identifier?.[0]?.value).toBe('S2201240528')
    const ours = encounters.find((e) => header(b).focus?.[0]?.reference === `urn:uuid:${e.id}`)!
    expect(ours.status).toBe('finished')
    expect(JSON.stringify(resources(b, 'Flag'))).toContain('"code":"U"')
    // nothing after the full response
    expect((await send(msg('VALREQ02'), { correlationId: (await prisma().validationCase.findUniqueOrThrow({ where: { id } })).correlationId })).status).toBe(409)
    await expect(rejectValidation({ validationId: id, code: 'FC', text: 'x', actor: { userId: clinicianId } })).rejects.toMatchObject({ kind: 'conflict' })
  })

  it('complete without an interim: reason new; no further action → CarePlan completed; a lower category keeps the original clock start (A4.31, A4.34, A4.36)', async () => {
    const { id } = await newCase()
    const original = (await prisma().validationCase.findUniqueOrThrow({ where: { id } })).clockStart!.toISOString()
    await completeValidation({ validationId: id, form: { ...FORM, outcome: 'no-further-action', arpCode: 'C5' }, actor: { userId: clinicianId } })
    const [full] = await outboxOf(id)
    const b = full!.bundle as unknown as Bundle
    expectConformant(b, MESSAGE_DEFINITION_URLS.validationResponseFull)
    expect(header(b).reason?.coding?.[0]?.code).toBe('new')
    const cp = resources(b, 'CarePlan')[0] as CarePlan
    expect(cp.status).toBe('completed')
    expect(Date.parse(cp.period!.start!)).toBe(Date.parse(original))
    expect(resources(b, 'Encounter')).toHaveLength(2)
  })

  it('reject with FC: interim reject, our Encounter cancelled with the reason and text; no full response after it (A4.21, A4.25, A4.26)', async () => {
    const { id } = await newCase()
    await rejectValidation({ validationId: id, code: 'FC', text: 'We were unable to contact the patient', actor: { userId: clinicianId } })
    const [m] = await outboxOf(id)
    expect(m!.kind).toBe('validation-interim-reject')
    const b = m!.bundle as unknown as Bundle
    expectConformant(b, MESSAGE_DEFINITION_URLS.validationResponseInterim)
    const ours = (resources(b, 'Encounter') as Encounter[]).find((e) => header(b).focus?.[0]?.reference === `urn:uuid:${e.id}`)!
    expect(ours.status).toBe('cancelled')
    expect(ours.reasonCode?.[0]).toMatchObject({ coding: [{ code: 'FC' }], text: 'We were unable to contact the patient' })
    await expect(completeValidation({ validationId: id, form: FORM, actor: { userId: clinicianId } })).rejects.toMatchObject({ kind: 'conflict' })
    expect(await outboxOf(id)).toHaveLength(1)
  })
})
