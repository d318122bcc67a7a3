import { describe, expect, it } from 'vitest'
import { dosIdFromEndpoint, formatNhsNumber, isDosServiceSystem, isValidNhsNumber, parseToken } from './identifiers'

describe('formatNhsNumber', () => {
  it('groups ten digits 3-3-4', () => {
    expect(formatNhsNumber('3478526985')).toBe('347 852 6985')
    expect(formatNhsNumber(' 347 852 6985 ')).toBe('347 852 6985')
  })
  it('returns other text unchanged and nothing for nothing', () => {
    expect(formatNhsNumber('12345')).toBe('12345')
    expect(formatNhsNumber('')).toBeUndefined()
    expect(formatNhsNumber(null)).toBeUndefined()
    expect(formatNhsNumber(undefined)).toBeUndefined()
  })
})

describe('isValidNhsNumber', () => {
  it('accepts numbers with a correct modulus-11 check digit', () => {
    expect(isValidNhsNumber('9658499007')).toBe(true) // INT Spine test patient
    expect(isValidNhsNumber('9707606312')).toBe(true) // TKW stateful simulation patient
    expect(isValidNhsNumber('4010232137')).toBe(true) // check digit 7
    expect(isValidNhsNumber('1000000060')).toBe(true) // 11 - 0 = 11 → check digit 0
  })
  it('rejects a wrong check digit, a check digit of 10 and non-10-digit input', () => {
    // The NHS example REFREQ01 carries 3478526985, which fails the checksum: never reject a referral for it.
    expect(isValidNhsNumber('3478526985')).toBe(false)
    expect(isValidNhsNumber('9658499008')).toBe(false)
    expect(isValidNhsNumber('1234567890')).toBe(false) // 11 - 1 = 10: no valid number has these 9 digits
    expect(isValidNhsNumber('1234567891')).toBe(false)
    expect(isValidNhsNumber('965849900')).toBe(false)
    expect(isValidNhsNumber('965 849 9007')).toBe(false)
    expect(isValidNhsNumber('96584990O7')).toBe(false)
  })
})

describe('parseToken', () => {
  it('splits system|value and accepts bare values', () => {
    expect(parseToken('https://fhir.nhs.uk/Id/dos-service-id|111111111')).toEqual({ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: '111111111' })
    expect(parseToken(' 111 ')).toEqual({ value: '111' })
    expect(parseToken('|111')).toEqual({ value: '111' })
  })
  it('returns undefined without a value', () => {
    expect(parseToken('https://fhir.nhs.uk/Id/dos-service-id|')).toBeUndefined()
    expect(parseToken('')).toBeUndefined()
    expect(parseToken(undefined)).toBeUndefined()
  })
})

describe('dosIdFromEndpoint', () => {
  it.each([
    'https://fhir.nhs.uk/Id/dos-service-id|2000099999',
    'http://fhir.nhs.uk/Id/dos-service-id|2000099999',
    'https://fhir.nhs.uk/CodeSystem/dos-id|2000099999',
    'http://fhir.nhs.uk/CodeSystem/dos-id|2000099999',
    'HTTPS://FHIR.NHS.UK/Id/DOS-SERVICE-ID|2000099999',
    '2000099999',
  ])('reads the service id from %s', (endpoint) => {
    expect(dosIdFromEndpoint(endpoint)).toBe('2000099999')
  })
  it('returns undefined for other systems or no endpoint', () => {
    expect(dosIdFromEndpoint('https://fhir.nhs.uk/Id/ers-dos-service-id|1')).toBeUndefined() // REFREQ11 (e-RS broker)
    expect(dosIdFromEndpoint('https://fhir.nhs.uk/Id/ods-organization-code|RND')).toBeUndefined()
    expect(dosIdFromEndpoint(undefined)).toBeUndefined()
  })
  it('knows the DoS system spellings', () => {
    expect(isDosServiceSystem(' https://fhir.nhs.uk/Id/dos-service-id ')).toBe(true)
    expect(isDosServiceSystem('https://fhir.nhs.uk/Id/dos-service-id/')).toBe(false)
    expect(isDosServiceSystem(undefined)).toBe(false)
  })
})
