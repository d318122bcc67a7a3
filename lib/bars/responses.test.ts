import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Appointment, Bundle, Encounter, MessageHeader, ServiceRequest } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { parseMessage } from './message'
import {
  buildAcceptResponse,
  buildDnaFeedback,
  buildRebookResponse,
  buildRejectResponse,
  localDefinition,
  MESSAGE_DEFINITIONS,
  missedWindow,
  type TResponseContext,
} from './responses'

const EXAMPLES = path.join(import.meta.dirname, '__fixtures__/examples')
const fixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Bundle
const REFREQ01 = 'REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json'
const REFRESP01 = 'REFRESP01_Referral_Service_Request_Response_New_Full_ED_to_111_Safeguarding_DNA_Feedback.json'
const NOW = '2026-03-04T10:00:00.000Z'

function ctx(request = fixture(REFREQ01), category = 'referral'): TResponseContext {
  return {
    request,
    referral: {
      id: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
      encounterId: '1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d',
      caseReference: 'ED-000123',
      bundleId: request.id!,
      sourceEndpoint: 'https://fhir.nhs.uk/Id/dos-service-id|2222222222',
      category,
      senderName: 'NHS 111',
      senderOdsCode: 'X111',
    },
    service: { dosServiceId: '111111111', name: 'Emergency Department - Adult', odsCode: 'RXX01' },
    publicUrl: 'https://inbox.example.nhs.uk',
    now: NOW,
    bundleId: 'a5b4c3d2-e1f0-4a9b-8c7d-6e5f4a3b2c1d',
  }
}

const resources = (b: Bundle) => b.entry!.map((e) => e.resource!)
const header = (b: Bundle) => b.entry![0]!.resource as MessageHeader
const focus = (b: Bundle) => b.entry!.find((e) => e.fullUrl === header(b).focus![0]!.reference)!.resource!

/** Every reference to a urn:uuid resolves inside the bundle (no dangling references). */
function expectClosedReferences(b: Bundle) {
  const fullUrls = new Set(b.entry!.map((e) => e.fullUrl))
  const refs = [...JSON.stringify(b).matchAll(/"reference":"(urn:uuid:[^"]+)"/g)].map((m) => m[1])
  expect(refs.filter((r) => !fullUrls.has(r))).toEqual([])
}

function expectResponseEnvelope(b: Bundle, request: Bundle) {
  expect(b).toMatchObject({ resourceType: 'Bundle', type: 'message', id: 'a5b4c3d2-e1f0-4a9b-8c7d-6e5f4a3b2c1d', timestamp: NOW })
  const h = header(b)
  expect(h.eventCoding).toEqual({ system: 'https://fhir.nhs.uk/CodeSystem/message-events-bars', code: 'servicerequest-response' })
  expect(h.response).toEqual({ identifier: request.id, code: 'ok' })
  expect(h.destination![0]!.endpoint).toBe('https://fhir.nhs.uk/Id/dos-service-id|2222222222')
  expect(h.source!.endpoint).toBe('https://fhir.nhs.uk/Id/dos-service-id|111111111')
  expectValidFhir(b)
  for (const r of resources(b)) expectValidFhir(r)
  // It is a message our own parser (and so a BaRS receiver) can read.
  expect(parseMessage(b).eventCode).toBe('servicerequest-response')
}

describe('buildAcceptResponse (App 4 interim pattern)', () => {
  it('answers the original bundle with our Encounter in-progress as the focus', () => {
    const request = fixture(REFREQ01)
    const b = buildAcceptResponse(ctx(request))
    expectResponseEnvelope(b, request)
    const enc = focus(b) as Encounter
    expect(enc).toMatchObject({ resourceType: 'Encounter', id: '1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d', status: 'in-progress' })
    expect(enc.identifier![0]!.value).toBe('ED-000123')
    expect(enc.episodeOfCare![0]!.reference).toBe('EpisodeOfCare/d877b820-e72b-44d1-a627-195f54bfc606')
    const sr = resources(b).find((r) => r.resourceType === 'ServiceRequest') as ServiceRequest
    expect(sr).toMatchObject({ id: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', status: 'active' })
    expect(header(b).definition).toBe(localDefinition('https://inbox.example.nhs.uk', 'referral-decision'))
    expectClosedReferences(b)
  })

  it('claims the national interim definition for an App 4 validation request', () => {
    const request = fixture('VALREQ01_Validation_Service_Request_New_Full_999_to_CAS.json')
    const b = buildAcceptResponse(ctx(request, 'validation'))
    expect(header(b).definition).toBe(MESSAGE_DEFINITIONS.validationInterim)
    expectResponseEnvelope(b, request)
  })
})

describe('buildRejectResponse (App 4 interim rejection, as VALRESP04)', () => {
  it('cancels our Encounter with the rejected-reasons-bars code and the clinician text', () => {
    const request = fixture(REFREQ01)
    const b = buildRejectResponse(ctx(request), { code: 'RRNA', text: '  No paediatric cover tonight  ' })
    expectResponseEnvelope(b, request)
    const enc = focus(b) as Encounter
    expect(enc.status).toBe('cancelled')
    expect(enc.reasonCode).toEqual([
      {
        coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/rejected-reasons-bars', code: 'RRNA', display: 'Requested resource not available within timescale' }],
        text: 'No paediatric cover tonight',
      },
    ])
    // Same resource kinds as the national interim rejection example.
    const national = fixture('VALRESP04_Validation_Response_Interim_Reject_Validation_Request.json')
    const kinds = (x: Bundle) => new Set(resources(x).map((r) => r.resourceType))
    for (const k of kinds(b)) expect(kinds(national)).toContain(k)
    expectClosedReferences(b)
  })
})

describe('buildRebookResponse (ours)', () => {
  it('sends the cancelled and the new Appointment, focus on the new one', () => {
    const request = fixture(REFREQ01)
    const b = buildRebookResponse(ctx(request), {
      cancelled: { id: '3cac9cde-a262-42b3-bcf1-215ab79c3e37', start: '2026-03-04T11:00:00.000Z', end: '2026-03-04T11:30:00.000Z' },
      booked: { id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', start: '2026-03-04T14:00:00.000Z', end: '2026-03-04T14:30:00.000Z', slotId: 'da83ae28-46f0-4aad-9c54-dcad462cafcb' },
    })
    expectResponseEnvelope(b, request)
    expect(header(b).reason!.coding![0]!.code).toBe('update')
    const appts = resources(b).filter((r): r is Appointment => r.resourceType === 'Appointment')
    expect(appts.map((a) => [a.id, a.status])).toEqual([
      ['9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', 'booked'],
      ['3cac9cde-a262-42b3-bcf1-215ab79c3e37', 'cancelled'],
    ])
    expect((focus(b) as Appointment).id).toBe('9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a')
    expect(appts[0]!.slot).toEqual([{ reference: 'Slot/da83ae28-46f0-4aad-9c54-dcad462cafcb' }])
    expectClosedReferences(b)
  })
})

describe('buildDnaFeedback (App 1 safeguarding DNA feedback, shape of REFRESP01)', () => {
  it('echoes the referral with the ServiceRequest revoked and an Appointment noshow', () => {
    const request = fixture(REFREQ01)
    const missed = missedWindow(request, { id: '3cac9cde-a262-42b3-bcf1-215ab79c3e37', start: '2026-03-04T11:00:00.000Z', end: '2026-03-04T11:30:00.000Z' }, { start: NOW, end: NOW })
    const b = buildDnaFeedback(ctx(request), missed)
    expectResponseEnvelope(b, request)
    const h = header(b)
    expect(h.definition).toBe(MESSAGE_DEFINITIONS.referralResponse)
    expect(h.reason!.coding![0]!.code).toBe('new')
    const sr = focus(b) as ServiceRequest
    expect(sr).toMatchObject({ resourceType: 'ServiceRequest', id: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', status: 'revoked' })
    const noshow = resources(b).find((r) => r.resourceType === 'Appointment') as Appointment
    expect(noshow).toMatchObject({ id: '3cac9cde-a262-42b3-bcf1-215ab79c3e37', status: 'noshow', start: '2026-03-04T11:00:00.000Z' })
    // Everything the national example carries is there: safeguarding flags, CarePlan, patient, consent.
    const national = fixture(REFRESP01)
    const kinds = (x: Bundle) => new Set(resources(x).map((r) => r.resourceType))
    for (const k of kinds(national)) {
      if (k === 'Practitioner' || k === 'PractitionerRole' || k === 'HealthcareService') continue
      expect(kinds(b)).toContain(k)
    }
    expect(JSON.stringify(b)).toContain('"code":"SG"')
    // Workflow variables a 111 system classifies on: response + SR revoked + Appointment noshow.
    expect(resources(b).every((r) => r.id)).toBe(true)
  })

  it('falls back to the referral period when there was no booking', () => {
    const request = fixture(REFREQ01)
    const sr = request.entry!.find((e) => e.resource!.resourceType === 'ServiceRequest')!.resource as ServiceRequest
    sr.occurrencePeriod = { start: '2026-03-04T09:00:00Z', end: '2026-03-04T10:00:00Z' }
    expect(missedWindow(request, undefined, { start: NOW, end: NOW })).toEqual({ start: '2026-03-04T09:00:00Z', end: '2026-03-04T10:00:00Z' })
    const b = buildDnaFeedback(ctx(request), missedWindow(request, undefined, { start: NOW, end: NOW }))
    expectValidFhir(b)
  })
})
