import type { Bundle, CarePlan, Encounter, MessageHeader } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { fixture } from '@/lib/testing/fhir-request'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { parseMessage } from './message'
import { checkConformance, definitionFor, MESSAGE_DEFINITION_URLS } from './message-definitions'
import {
  buildFullResponse,
  buildInterimAccept,
  buildInterimReject,
  clockStartFor,
  needsCadReference,
  validationUseContext,
  ZFullResponse,
  type TValidationResponseContext,
} from './validation-responses'

const request = fixture<Bundle>('VALREQ01_Validation_Service_Request_New_Full_999_to_CAS.json')
const ctx = (): TValidationResponseContext => ({
  request,
  validation: {
    id: '11111111-1111-4111-8111-111111111111',
    encounterId: '22222222-2222-4222-8222-222222222222',
    caseReference: 'CAS-000001',
    bundleId: request.id!,
    sourceEndpoint: 'https://fhir.nhs.uk/Id/dos-service-id|2222222222',
    useCase: 'a4t1',
    acknowledgedAt: '2021-11-26T15:01:00.000Z',
  },
  service: { dosServiceId: '555555555', name: 'CAS', odsCode: 'RXX05' },
  publicUrl: 'https://inbox.example.nhs.uk',
  now: '2021-11-26T15:10:00.000Z',
  bundleId: crypto.randomUUID(),
})
const header = (b: Bundle) => b.entry![0]!.resource as MessageHeader
const of = (b: Bundle, t: string) => b.entry!.map((e) => e.resource!).filter((r) => r.resourceType === t)
function conformant(b: Bundle) {
  expectValidFhir(b)
  const m = parseMessage(b)
  checkConformance(m, definitionFor(m.definition)!)
}
const FORM = ZFullResponse.parse({ outcome: 'dispatch', arpCode: 'C3', summary: 'Validated.', sceneSafety: 'S', consentConfirmed: true })

describe('App 4 responses built from VALREQ01', () => {
  it('interim accept: national interim definition, focus our Encounter in-progress, response.identifier the request Bundle.id, endpoints swapped (A4.22–A4.24, A4.52)', () => {
    const b = buildInterimAccept(ctx())
    conformant(b)
    const h = header(b)
    expect(h.definition).toBe(MESSAGE_DEFINITION_URLS.validationResponseInterim)
    expect(h.eventCoding?.code).toBe('servicerequest-response')
    expect(h.response).toEqual({ identifier: request.id, code: 'ok' })
    expect(h.destination?.[0]?.endpoint).toBe('https://fhir.nhs.uk/Id/dos-service-id|2222222222')
    expect(h.source?.endpoint).toBe('https://fhir.nhs.uk/Id/dos-service-id|555555555')
    const ours = (of(b, 'Encounter') as Encounter[]).find((e) => e.id === '22222222-2222-4222-8222-222222222222')!
    expect(ours).toMatchObject({ status: 'in-progress', period: { start: '2021-11-26T15:01:00.000Z' }, episodeOfCare: [{ reference: 'EpisodeOfCare/d877b820-e72b-44d1-a627-195f54bfc606' }] })
    expect(of(b, 'Encounter')).toHaveLength(2)
    expect(validationUseContext(b)).toBe('a4t1|validation|servicerequest-response|new')
  })

  it('interim reject: our Encounter cancelled with the rejected-reasons-bars code and text (A4.25)', () => {
    const b = buildInterimReject(ctx(), { code: 'RRNA', text: 'No clinician free before the breach time' })
    conformant(b)
    const ours = (of(b, 'Encounter') as Encounter[]).find((e) => e.status === 'cancelled')!
    expect(ours.reasonCode).toEqual([{ coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/rejected-reasons-bars', code: 'RRNA', display: expect.any(String) }], text: 'No clinician free before the breach time' }])
  })

  it('full response without interim: reason new, CarePlan encounter → ours, Location, Consent and HealthcareService present (A4.31–A4.34, A4.39–A4.41)', () => {
    const b = buildFullResponse(ctx(), { form: FORM, interimSent: false, originalArp: 'C3' })
    conformant(b)
    expect(header(b).reason?.coding?.[0]?.code).toBe('new')
    expect(validationUseContext(b)).toBe('a4t1|validation|servicerequest-response|new')
    const cp = of(b, 'CarePlan')[0] as CarePlan
    expect(cp).toMatchObject({ status: 'active', encounter: { reference: 'urn:uuid:22222222-2222-4222-8222-222222222222' }, period: { start: '2021-11-26T15:00:00+00:00' } })
    expect(of(b, 'Consent').length).toBeGreaterThanOrEqual(1)
  })

  it('full response with a changed location updates every address field we send (A4.39)', () => {
    const b = buildFullResponse(ctx(), { form: { ...FORM, locationLine: '1 New Street', locationPostcode: 'ls2 7ab' }, interimSent: true, originalArp: 'C3' })
    conformant(b)
    expect(of(b, 'Location')[0]).toMatchObject({ address: { line: ['1 New Street'], postalCode: 'LS2 7AB' } })
    expect(header(b).reason?.coding?.[0]?.code).toBe('update')
  })

  it('clock rule (A4.36, Q15) and the CAD-reference rule (A4.37)', () => {
    expect(clockStartFor('C3', 'C2', '2021-11-26T15:00:00Z', '2021-11-26T15:10:00Z')).toBe('2021-11-26T15:10:00Z')
    expect(clockStartFor('C3', 'C3', '2021-11-26T15:00:00Z', '2021-11-26T15:10:00Z')).toBe('2021-11-26T15:00:00Z')
    expect(clockStartFor('C3', 'C4', '2021-11-26T15:00:00Z', '2021-11-26T15:10:00Z')).toBe('2021-11-26T15:00:00Z')
    expect(needsCadReference('C3', 'C2')).toBe(true)
    expect(needsCadReference('C2', 'C2')).toBe(false)
    expect(needsCadReference('C3', 'C4')).toBe(false)
  })

  it('the form needs an explicit outcome and consent (A4.34, A4.41)', () => {
    expect(ZFullResponse.safeParse({ ...FORM, outcome: undefined }).success).toBe(false)
    expect(ZFullResponse.safeParse({ ...FORM, consentConfirmed: false }).success).toBe(false)
    expect(ZFullResponse.safeParse({ ...FORM, sgCode: 'XX1' }).success).toBe(false)
  })
})
