import { describe, expect, it } from 'vitest'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { freshBooking, freshBookingCancel, freshReferralCancel, freshReferralMessage } from './example-messages'
import { buildAppointmentForRead, buildServiceRequestForRead, searchsetBundle } from './resource-builders'

const referral = {
  id: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', fhirStatus: 'revoked', useCase: 'a1t1', category: 'referral', version: 3,
  updatedAt: new Date('2026-01-02T10:00:00Z'), receivedAt: new Date('2026-01-02T09:00:00Z'), cancelReason: 'No longer needed', requestIdentifier: null,
  patientNhsNumber: '9449305552', patientFamily: 'Jones', patientGiven: 'Julie',
}

describe('buildServiceRequestForRead', () => {
  it('takes content from the referral version, status and reason from now, our booking links, no bundle-local references', () => {
    const versions = [freshReferralCancel({ now: new Date() }), freshReferralMessage({ now: new Date(), supportingAppointmentId: 'aaaaaaaa-0000-4000-8000-000000000000' })]
    const sr = buildServiceRequestForRead(referral, versions, ['bbbbbbbb-0000-4000-8000-000000000000'])
    expect(sr).toMatchObject({ id: referral.id, status: 'revoked', reasonCode: [{ text: 'No longer needed' }], meta: { versionId: '3', lastUpdated: '2026-01-02T10:00:00.000Z' } })
    expect(sr.subject).toEqual({ type: 'Patient', identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9449305552' }, display: 'Julie Jones' })
    expect(sr.occurrencePeriod).toBeDefined()
    const refs = (sr.supportingInfo ?? []).map((s) => s.reference).filter(Boolean)
    expect(refs).toEqual(['Appointment/bbbbbbbb-0000-4000-8000-000000000000'])
    expect(JSON.stringify(sr)).not.toContain('urn:uuid:')
    // REFREQ01's performer is an Organization (open question A6): now a logical reference by ODS code
    expect(sr.performer?.[0]).toMatchObject({ type: 'Organization', identifier: { system: expect.stringMatching(/ods-organization-code$/i) } })
    expectValidFhir(sr)
  })

  it('builds a minimal valid ServiceRequest when no version has one', () => {
    const sr = buildServiceRequestForRead({ ...referral, cancelReason: null, fhirStatus: 'active' }, [], [])
    expect(sr).toMatchObject({ resourceType: 'ServiceRequest', status: 'active', intent: 'plan' })
    expectValidFhir(sr)
  })
})

describe('buildAppointmentForRead', () => {
  const booking = {
    id: 'cccccccc-0000-4000-8000-000000000000', status: 'cancelled', slotId: 'da83ae28-46f0-4aad-9c54-dcad462cafcb', referralId: null, useCase: 'a1t1',
    start: new Date('2026-01-03T10:00:00Z'), end: new Date('2026-01-03T10:30:00Z'), createdAt: new Date('2026-01-02T08:00:00Z'),
    updatedAt: new Date('2026-01-02T11:00:00Z'), version: 2, cancelReason: 'Feeling better', patientNhsNumber: '9476719931', patientFamily: 'Smith', patientGiven: 'Sam',
  }
  it('uses our times, slot, created and status; keeps the booked content; valid FHIR', () => {
    const appt = buildAppointmentForRead(booking, [freshBookingCancel({ now: new Date() }), freshBooking({ now: new Date() })])
    expect(appt).toMatchObject({
      id: booking.id, status: 'cancelled', start: '2026-01-03T10:00:00.000Z', end: '2026-01-03T10:30:00.000Z', created: '2026-01-02T08:00:00.000Z',
      slot: [{ reference: 'Slot/da83ae28-46f0-4aad-9c54-dcad462cafcb' }], cancelationReason: { text: 'Feeling better' }, description: 'Reason for calling-',
    })
    expect(appt.basedOn).toBeUndefined()
    expectValidFhir(appt)
  })
  it('works without any stored bundle (seeded bookings) and in a searchset', () => {
    const appt = buildAppointmentForRead({ ...booking, status: 'booked', referralId: 'dddddddd-0000-4000-8000-000000000000' }, [{}])
    expect(appt.basedOn).toEqual([{ reference: 'ServiceRequest/dddddddd-0000-4000-8000-000000000000' }])
    const bundle = searchsetBundle([appt], 'https://bars.example.nhs.uk/fhir/')
    expect(bundle.entry![0]).toMatchObject({ fullUrl: `https://bars.example.nhs.uk/fhir/Appointment/${booking.id}`, search: { mode: 'match' } })
    expectValidFhir(bundle)
  })
})
