import { describe, expect, it } from 'vitest'
import { isStaleUpdate, referralCancelKeys, samePatient } from './cancellation'
import { freshReferralCancel } from './example-messages'
import { parseMessage } from './message'

const stored = (nhs: string | null, family: string | null = 'Jones', birth: string | null = '1959-05-04') => ({ patientNhsNumber: nhs, patientFamily: family, patientBirthDate: birth })

describe('samePatient', () => {
  it('compares NHS numbers when both have one', () => {
    expect(samePatient({ nhsNumber: '9449305552' }, stored('9449305552'))).toBe(true)
    expect(samePatient({ nhsNumber: '9449305552', family: 'Jones', birthDate: '1959-05-04' }, stored('9449306060'))).toBe(false)
  })
  it('falls back to family name and birth date, any case; undefined when it cannot tell', () => {
    expect(samePatient({ family: 'JONES', birthDate: '1959-05-04' }, stored(null))).toBe(true)
    expect(samePatient({ family: 'Jones', birthDate: '1960-01-01' }, stored('9449305552'))).toBe(false)
    expect(samePatient({}, stored('9449305552'))).toBeUndefined()
  })
})

describe('isStaleUpdate', () => {
  const local = new Date('2026-01-01T12:00:00.000Z')
  it('is stale only when lastUpdated is before our last change (7 fractional digits and offsets read)', () => {
    expect(isStaleUpdate('2026-01-01T11:59:59.9999999+00:00', local)).toBe(true)
    expect(isStaleUpdate('2026-01-01T13:00:00+01:00', local)).toBe(false)
    expect(isStaleUpdate('2026-01-01T12:00:01Z', local)).toBe(false)
  })
  it('does not treat a missing or unreadable lastUpdated as stale', () => {
    expect(isStaleUpdate(undefined, local)).toBe(false)
    expect(isStaleUpdate('yesterday', local)).toBe(false)
  })
})

describe('referralCancelKeys', () => {
  it('reads status, reason, patient and only a UUID resource id from a cancellation', () => {
    const b = freshReferralCancel({ now: new Date(), status: 'entered-in-error', reason: 'Wrong service', serviceRequestId: 'not-ours' })
    const k = referralCancelKeys(parseMessage(b))
    expect(k).toMatchObject({ status: 'entered-in-error', reason: 'Wrong service', bundleId: b.id, patient: { nhsNumber: '3478526985' } })
    expect(k.resourceId).toBeUndefined()
    const withId = freshReferralCancel({ now: new Date(), serviceRequestId: '0F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A' })
    expect(referralCancelKeys(parseMessage(withId)).resourceId).toBe('0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a')
  })
})
