import type { Bundle, MessageHeader, Organization, ServiceRequest, Task } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import legacyTask from './__fixtures__/examples/Task-Community_Pharmacist_Consultation_Service_for_minor_illness_procedure.json'
import { MESSAGE_DEFINITION_URLS, receivedDefinitionUrls } from './message-definitions'
import { freshPharmacyReferral } from './pharmacy-examples'
import { orgTypeLabel, readPharmacyReferral } from './pharmacy-referral'

const RECEIVED = new Date('2026-12-01T09:00:00Z')

function read(bundle: Bundle) {
  const header = bundle.entry![0]!.resource as MessageHeader
  const focus = bundle.entry!.find((e) => e.fullUrl === header.focus![0]!.reference)!.resource
  return readPharmacyReferral(bundle, focus, header.sender?.reference, RECEIVED)
}

const of = <T>(b: Bundle, type: string) => b.entry!.find((e) => e.resource?.resourceType === type)!.resource as T

describe('readPharmacyReferral on REFREQ03 (the real App 5 example)', () => {
  const now = new Date('2026-12-01T08:00:00Z')
  const bundle = freshPharmacyReferral({ now, reasonableAdjustments: true })
  const d = read(bundle)

  it('names the sending organisation from MessageHeader.sender with its ODS code, and says its type is not stated (A5.6, A5.7, Q20)', () => {
    expect(d.referringOrganisation).toEqual({ name: 'Sender Organization', odsCode: 'RND' })
    expect(orgTypeLabel(d.referringOrganisation)).toBe('type not stated')
    expect(d.registeredGp).toEqual({ name: "Patient's Surgery", odsCode: 'G82080' })
    expect(d.referrerName).toBe('Marcy BLAKE')
  })

  it('reads the condition, the Pharmacy First Task, its instruction and the clinical narrative (A5.8)', () => {
    expect(d.condition).toBe('Vomiting')
    expect(d.serviceRequested).toBe('Referral to Community Pharmacy Pharmacy First Service (procedure)')
    expect(d.instruction).toMatch(/^Patient will contact pharmacy service in 24 hours/)
    expect(d.pathway).toContain('Symptoms: 2/7 hx constipation')
    expect(d.pathway).not.toContain('\\n') // the escaped newlines of the example become line breaks
  })

  it('takes the guide time from ServiceRequest.occurrencePeriod.end when the Task has no restriction (A5.9)', () => {
    expect(d.guideTimeSource).toBe('service-request')
    expect(d.guideTime).toBe('2026-12-02T08:00:00.000Z')
  })

  it('lists the reasonable adjustments (FLA02, FLA03) first, the contacts by rank and the consent (A5.10, A5.18)', () => {
    expect(d.flags).toEqual([
      { category: 'Reasonable Adjustment', description: 'Provision of Additional Support', reasonableAdjustment: true },
      { category: 'Reasonable Adjustment', description: 'Environment', reasonableAdjustment: true },
    ])
    expect(d.contacts.map((c) => c.who)).toEqual(['Patient', 'Emergency Contact'])
    expect(d.contacts[0]!.telecom.map((t) => t.value)).toEqual(['07736312544', '01138698975', 'jjones@hotmail.co.uk'])
    expect(d.contacts[1]!.name).toBe('Jack Grayson')
    expect(d.consent).toBe('Direct Care (implied), active')
  })
})

describe('readPharmacyReferral: other shapes', () => {
  it('prefers the earliest Task restriction end over the ServiceRequest window', () => {
    const b = freshPharmacyReferral({ now: RECEIVED })
    of<Task>(b, 'Task').restriction = { period: { end: '2026-12-01T20:00:00+00:00' } }
    expect(read(b)).toMatchObject({ guideTime: '2026-12-01T20:00:00.000Z', guideTimeSource: 'task' })
  })

  it('falls back to 24 hours after receipt when no time is given', () => {
    const b = freshPharmacyReferral({ now: RECEIVED })
    delete of<ServiceRequest>(b, 'ServiceRequest').occurrencePeriod
    expect(read(b)).toMatchObject({ guideTime: '2026-12-02T09:00:00.000Z', guideTimeSource: 'default' })
  })

  it('accepts the legacy Task code of the stand-alone Task example (Q21) and names the service it stands for', () => {
    const b = freshPharmacyReferral({ now: RECEIVED })
    const task = of<Task>(b, 'Task')
    task.code = structuredClone(legacyTask.code)
    expect(read(b).serviceRequested).toBe('Community Pharmacist Consultation Service for minor illness (procedure)')
  })

  it('shows the Organization.type when the sender gives it (App 5 1.1.0, A5.7)', () => {
    const b = freshPharmacyReferral({ now: RECEIVED })
    const sender = b.entry!.find((e) => e.fullUrl === (b.entry![0]!.resource as MessageHeader).sender!.reference)!.resource as Organization
    sender.type = [{ coding: [{ system: 'http://snomed.info/sct', code: '788007007' }] }]
    expect(orgTypeLabel(read(b).referringOrganisation)).toBe('General practice service')
  })

  it('without a MessageHeader.sender, uses the requester’s organisation', () => {
    const b = freshPharmacyReferral({ now: RECEIVED })
    delete (b.entry![0]!.resource as MessageHeader).sender
    // The requester Practitioner's PractitionerRole names "Practitioner Org" (no ODS code in the example).
    expect(read(b).referringOrganisation).toEqual({ name: 'Practitioner Org' })
  })

  it('is tolerant: a Flag or Consent of an unexpected shape is left out, never a reason to refuse', () => {
    const b = freshPharmacyReferral({ now: RECEIVED })
    b.entry!.push({ fullUrl: 'urn:uuid:x', resource: { resourceType: 'Flag', status: 'active', code: { coding: 'not-an-array' } } as never })
    const d = read(b)
    expect(d.flags).toEqual([])
    expect(d.condition).toBe('Vomiting')
  })
})

describe('MessageDefinitions a community pharmacy receives', () => {
  it('are the referral and the cancellation only (App 5 has no bookings)', () => {
    expect(receivedDefinitionUrls(['a5t1'])).toEqual([MESSAGE_DEFINITION_URLS.referralRequest, MESSAGE_DEFINITION_URLS.cancelledRequest])
    expect(receivedDefinitionUrls(['a1t1'])).toContain(MESSAGE_DEFINITION_URLS.bookingRequest)
  })
})
