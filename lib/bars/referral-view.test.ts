import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Bundle, ServiceRequest } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { describeChanges, referralView } from './referral-view'

const EXAMPLES = path.join(import.meta.dirname, '__fixtures__/examples')
const fixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Bundle
const REFREQ01 = 'REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json'
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

describe('referralView of the real 111→ED referral (REFREQ01)', () => {
  const v = referralView(fixture(REFREQ01))

  it('puts the safeguarding flag first and keeps every other flag', () => {
    const then = referralView(fixture(REFREQ01), new Date('2021-10-11T12:20:00Z'))
    expect(then.flags[0]).toMatchObject({ safeguarding: true, expired: false, category: 'Safeguarding Concern', text: 'Child is cause for safeguarding concern (finding)' })
    expect(then.flags.map((f) => f.category)).toEqual(['Safeguarding Concern', 'Reasonable Adjustment', 'Rejected Services'])
    expect(then.expiredFlags).toEqual([])
  })

  it('moves a flag whose period has ended (the safeguarding flag ended 2021-11-20) to the expired list, never the current one', () => {
    expect(v.flags.map((f) => f.category)).toEqual(['Reasonable Adjustment', 'Rejected Services'])
    expect(v.expiredFlags).toEqual([
      expect.objectContaining({ category: 'Safeguarding Concern', safeguarding: true, expired: true, start: '2020-11-10T19:57:26.961Z', end: '2021-11-20T19:57:26.961Z' }),
    ])
    // The boundary: still current one millisecond before its end.
    expect(referralView(fixture(REFREQ01), new Date('2021-11-20T19:57:26.960Z')).flags[0]!.safeguarding).toBe(true)
  })

  it('lifts the staff-safety special patient note out of "Additional Information Sources"', () => {
    expect(v.staffSafety).toEqual([
      {
        title: 'Abusive patient',
        detail: 'On one encounter with the patient they were verbally abusive to attending staff. Patient should not be seen alone',
        activeFrom: '2021-11-10T19:45:28.654Z',
        reviewBy: '2022-05-10T19:45:28.654Z',
      },
    ])
    expect(v.otherInformation.flatMap((g) => g.items).map((i) => i.label)).not.toContain('Special patient note Detail')
  })

  it('finds the rank-1 callback contact and its rank-1 phone', () => {
    expect(v.callback).toMatchObject({
      relationship: 'The patient',
      phone: '07736312544',
      phones: [
        { value: '07736312544', use: 'mobile' },
        { value: '01138698975', use: 'home' },
      ],
      other: ['jjones@hotmail.co.uk (home)'],
    })
    expect(v.otherContacts[0]).toMatchObject({ name: 'Jack Grayson', relationship: 'Emergency Contact', phone: '0789 1234567' })
  })

  it('reads the presenting complaint, Pathways outcome and consultation summary', () => {
    expect(v.presentingComplaint).toMatchObject({
      chiefConcern: 'Allergic Reaction',
      pathway: 'Chest and Upper Back Pain',
      symptomDiscriminator: 'ED post tonsillectomy bleeding',
      dispositionCode: 'DX02',
    })
    expect(v.outcome.map((o) => o.code)).toEqual(['4389', 'DX02', 'PA21', '1010'])
    expect(v.consultationSummary).toContain('PATHWAYS ASSESSMENT:\n')
  })

  it('lists medications, allergies, observations, consent, rejected services and special patient notes', () => {
    expect(v.medications[0]).toMatchObject({ name: 'Aspirin 50mg/5ml oral solution', dosage: '2 capsules 4 times a day.' })
    expect(v.allergies[0]).toMatchObject({ substance: 'Amoxicillin', reactions: 'Urticarial rash', severity: 'mild', status: 'Active' })
    expect(v.observations.map((o) => o.name)).toEqual(['Lives Alone', 'Nursing Home', 'Expectations and wishes'])
    expect(v.consent).toEqual([{ category: 'Direct Care', status: 'active', policy: 'IMPLIED' }])
    expect(v.rejectedServices).toEqual([
      { service: 'Test DoS Service', reason: 'Rejected for patient choice', comment: 'Same reason, Patient refused service due to parking' },
      { service: '2nd Test DoS Service', reason: 'Rejected for patient choice', comment: 'Same reason, Patient refused service due to parking' },
    ])
  })

  it('describes the patient and the referral, and carries no ids', () => {
    expect(v.patient).toMatchObject({ name: 'Mrs Julie Jones', nhsNumber: '3478526985', birthDate: '1959-05-04', gp: "Patient's Surgery (G82080)" })
    expect(v.referral).toMatchObject({ useCase: '111 to ED', requestedService: 'Emergency Department - Adult', cdss: 'Pathways 30.2.0' })
    expect(JSON.stringify(v)).not.toMatch(UUID)
  })

  it('shows a next of kin from a RelatedPerson', () => {
    const b = fixture(REFREQ01)
    b.entry!.push({ fullUrl: 'urn:uuid:b7494ac0-dd23-4ec5-8ff7-132c43c30e53', resource: fixture('REL01_RelatedPerson_Next_of_Kin.json') as never })
    expect(referralView(b).nextOfKin).toEqual([{ name: 'Frend Peter', relationship: 'Next-of-Kin', phone: '07990330033', phones: [{ value: '07990330033', use: 'mobile' }], other: [] }])
  })
})

describe('referralView of a sparse referral', () => {
  it('copes with no NHS number, no contacts, no CarePlan and no flags', () => {
    const sparse: Bundle = {
      resourceType: 'Bundle',
      type: 'message',
      entry: [
        { fullUrl: 'urn:uuid:1', resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'plan', subject: { reference: 'urn:uuid:2' } } as ServiceRequest },
        { fullUrl: 'urn:uuid:2', resource: { resourceType: 'Patient' } },
      ],
    }
    const v = referralView(sparse)
    expect(v.patient).toEqual({})
    expect(v.flags).toEqual([])
    expect(v.callback).toBeUndefined()
    expect(v.outcome).toEqual([])
    expect(v.presentingComplaint).toEqual({})
  })
})

describe('describeChanges', () => {
  it('says what a cancellation changed', () => {
    const v1 = fixture(REFREQ01)
    const v2 = structuredClone(v1)
    const sr = v2.entry!.find((e) => e.resource!.resourceType === 'ServiceRequest')!.resource as ServiceRequest
    sr.status = 'revoked'
    sr.reasonCode = [{ text: 'Patient feels better' }]
    expect(describeChanges(v1, v2)).toEqual(['Status changed from active to revoked', 'Reason for cancelling: Patient feels better'])
    expect(describeChanges(v1, structuredClone(v1))).toEqual([])
  })
})
