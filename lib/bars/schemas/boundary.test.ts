/**
 * Typed parsing at the boundary (issue 9): the mutations of the real REFREQ01 / BOOKREQ01 examples
 * that gave 500 before are 400 REC_BAD_REQUEST naming the element (FHIRPath), and values that were
 * stored silently (a deadline that is not a date) are refused.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { caught } from '@/lib/testing/caught'
import { parseMessage } from '../message'
import { summariseReferral } from '../referral'

type TJson = Record<string, any>
const EXAMPLES = path.join(import.meta.dirname, '../__fixtures__/examples')
const fixture = (name: string): TJson => JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as TJson
const refreq01 = () => fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json')
const indexOf = (b: TJson, type: string) => (b.entry as TJson[]).findIndex((e) => e.resource?.resourceType === type)
const resourceOf = (b: TJson, type: string) => b.entry[indexOf(b, type)].resource as TJson

function refused(mutate: (b: TJson) => void, base = refreq01()) {
  mutate(base)
  const e = caught(() => parseMessage(base))
  return { kind: e.kind, status: e.status, expression: e.expression, message: e.message }
}

describe('parseMessage refuses wrong JSON types with 400 structure at the element', () => {
  it('Patient.name = 5', () => {
    const b = refreq01()
    const i = indexOf(b, 'Patient')
    expect(refused((x) => (resourceOf(x, 'Patient').name = 5), b)).toMatchObject({ kind: 'structure', status: 400, expression: [`Bundle.entry[${i}].resource.name`] })
  })

  it('ServiceRequest.category = {} (a list in R4)', () => {
    const b = refreq01()
    const i = indexOf(b, 'ServiceRequest')
    const r = refused((x) => (resourceOf(x, 'ServiceRequest').category = {}), b)
    expect(r).toMatchObject({ kind: 'structure', expression: [`Bundle.entry[${i}].resource.category`] })
    expect(r.message).toContain('must be a list (was object)')
  })

  it('ServiceRequest.supportingInfo = [null]', () => {
    const b = refreq01()
    const i = indexOf(b, 'ServiceRequest')
    expect(refused((x) => (resourceOf(x, 'ServiceRequest').supportingInfo = [null]), b)).toMatchObject({
      kind: 'structure',
      expression: [`Bundle.entry[${i}].resource.supportingInfo[0]`],
    })
  })

  it('MessageHeader.destination[0].endpoint = 5', () => {
    expect(refused((x) => (resourceOf(x, 'MessageHeader').destination[0].endpoint = 5))).toMatchObject({
      kind: 'structure',
      expression: ['Bundle.entry[0].resource.destination[0].endpoint'],
    })
  })

  it('Bundle.id = 5 and Patient.birthDate = 19800101 (numbers for strings)', () => {
    expect(refused((x) => (x.id = 5))).toMatchObject({ kind: 'structure', expression: ['Bundle.id'] })
    const b = refreq01()
    const i = indexOf(b, 'Patient')
    expect(refused((x) => (resourceOf(x, 'Patient').birthDate = 19800101), b)).toMatchObject({ kind: 'structure', expression: [`Bundle.entry[${i}].resource.birthDate`] })
  })

  it('HealthcareService.identifier[0].system = 5 (found by fuzzing: it was a 500 in the reply builder)', () => {
    const b = refreq01()
    b.entry.push({ fullUrl: 'urn:uuid:0b6f1d1e-9c1a-4a57-9f0e-1d2c3b4a5f60', resource: { resourceType: 'HealthcareService', identifier: [{ system: 5, value: '111111111' }] } })
    expect(refused(() => undefined, b)).toMatchObject({ kind: 'structure', expression: [`Bundle.entry[${b.entry.length - 1}].resource.identifier[0].system`] })
  })

  it('a resource that is not an object, and an entry list that is not a list', () => {
    expect(refused((x) => (x.entry[3].resource = 'Patient'))).toMatchObject({ kind: 'structure', expression: ['Bundle.entry[3].resource'] })
    expect(refused((x) => (x.entry = { resource: {} }))).toMatchObject({ kind: 'structure', expression: ['Bundle.entry'] })
  })
})

describe('parseMessage refuses bad values with 400 value at the element', () => {
  it('ServiceRequest.occurrencePeriod.end = "not a date" (was stored with no deadline)', () => {
    const b = refreq01()
    const i = indexOf(b, 'ServiceRequest')
    expect(refused((x) => (resourceOf(x, 'ServiceRequest').occurrencePeriod.end = 'not a date'), b)).toMatchObject({
      kind: 'value',
      status: 400,
      expression: [`Bundle.entry[${i}].resource.occurrencePeriod.end`],
    })
  })

  it('impossible dates and instants: 2026-02-30, 25:00, a time without a zone', () => {
    expect(refused((x) => (resourceOf(x, 'Patient').birthDate = '1980-02-30')).kind).toBe('value')
    expect(refused((x) => (resourceOf(x, 'ServiceRequest').occurrencePeriod.end = '2026-01-01T25:00:00Z')).kind).toBe('value')
    expect(refused((x) => (resourceOf(x, 'ServiceRequest').occurrencePeriod.end = '2026-01-01T10:00:00')).kind).toBe('value')
    expect(refused((x) => (x.timestamp = '2026-02-29T10:00:00Z')).expression).toEqual(['Bundle.timestamp'])
  })

  it('an id that is not a FHIR id, a code with spaces around it, NUL in a string', () => {
    expect(refused((x) => (x.id = 'not an id!'))).toMatchObject({ kind: 'value', expression: ['Bundle.id'] })
    expect(refused((x) => (resourceOf(x, 'ServiceRequest').status = ' active'))).toMatchObject({ kind: 'value' })
    expect(refused((x) => (resourceOf(x, 'Patient').name[0].family = 'Jo\u0000nes')).kind).toBe('value')
    expect(refused((x) => (resourceOf(x, 'Patient').name[0].family = 'Jones\ud800')).kind).toBe('value')
  })

  it('messages name the element and the type, never the content (no patient data)', () => {
    const r = refused((x) => (resourceOf(x, 'Patient').birthDate = '1980-02-30'))
    expect(r.message).not.toContain('1980')
  })
})

describe('what passes is usable as it is', () => {
  it('every real example message parses (the schemas are no stricter than the NHS examples)', () => {
    const names = ['REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json', 'BOOKREQ01_Booking_Request_New_Full.json', 'BOOKREQ02_Booking_Request_Cancelled.json', 'SERVREQ01_Service_Request_Update_Revoked.json']
    for (const n of names) expect(() => parseMessage(fixture(n)), n).not.toThrow()
  })

  it('the deadline is the UTC instant of occurrencePeriod.end, with 7-digit fractions and offsets', () => {
    const b = refreq01()
    resourceOf(b, 'ServiceRequest').occurrencePeriod.end = '2026-06-01T15:01:30.8185338+01:00'
    expect(summariseReferral(parseMessage(b)).deadline).toBe('2026-06-01T14:01:30.818Z')
  })
})
