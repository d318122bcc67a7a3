import { describe, expect, it } from 'vitest'
import { isAppError } from '@/lib/errors/app-error'
import { matchesDemographics, parsePatientSearch, readId } from './search-params'

const parse = (q: string, allowIdentifier = true) => parsePatientSearch(new URLSearchParams(q), { allowIdentifier })
const kindOf = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return isAppError(e) ? `${e.kind} ${e.expression?.join(',')}` : 'other'
  }
  return 'none'
}

describe('parsePatientSearch', () => {
  it('reads the NHS number token, URL-encoded once or twice, http or https, or bare', () => {
    expect(parse(`patient:identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9449305552')}`).nhsNumber).toBe('9449305552')
    expect(parse(`patient:identifier=${encodeURIComponent(encodeURIComponent('http://fhir.nhs.uk/Id/nhs-number|944 930 5552'))}`).nhsNumber).toBe('9449305552')
    expect(parse('patient:identifier=9449305552').nhsNumber).toBe('9449305552')
  })
  it('400 value for another system or not 10 digits', () => {
    expect(kindOf(() => parse('patient:identifier=https://example.org|9449305552'))).toBe('value patient:identifier')
    expect(kindOf(() => parse('patient:identifier=12345'))).toBe('value patient:identifier')
  })
  it('needs name, birth date and postcode together without an NHS number', () => {
    expect(parse('patient:name=Jones&patient:birthdate=eq1959-05-04&patient:address-postalcode=ls10 4yu')).toEqual({ name: 'jones', birthDate: '1959-05-04', postcode: 'LS104YU' })
    expect(kindOf(() => parse('patient:name=Jones&patient:birthdate=1959-05-04'))).toBe('required patient:name,patient:birthdate,patient:address-postalcode')
    expect(kindOf(() => parse(''))).toBe('required patient:identifier')
    expect(kindOf(() => parse('patient:name=a&patient:birthdate=1959-13-45&patient:address-postalcode=x'))).toBe('value patient:birthdate')
  })
  it('identifier only where allowed (ServiceRequest)', () => {
    expect(parse('identifier=https://x.nhs.uk/Id/ref|R-1').identifier).toBe('R-1')
    expect(kindOf(() => parse('identifier=R-1', false))).toBe('required patient:identifier')
  })
})

describe('matchesDemographics', () => {
  const row = { patientFamily: 'Jones', patientGiven: 'Julie Ann', patientPostcode: 'LS10 4YU' }
  it('matches the start of any name part and the postcode without spaces', () => {
    expect(matchesDemographics({ name: 'jul', postcode: 'LS104YU' }, row)).toBe(true)
    expect(matchesDemographics({ name: 'ann jon' }, row)).toBe(true)
    expect(matchesDemographics({ name: 'smith' }, row)).toBe(false)
    expect(matchesDemographics({ postcode: 'LS11AA' }, row)).toBe(false)
  })
})

describe('readId', () => {
  it('400 value for a non-UUID, lower-cases a UUID', () => {
    expect(kindOf(() => readId('abc', 'Appointment'))).toBe('value Appointment.id')
    expect(readId('3CAC9CDE-A262-42B3-BCF1-215AB79C3E37', 'Appointment')).toBe('3cac9cde-a262-42b3-bcf1-215ab79c3e37')
  })
})
