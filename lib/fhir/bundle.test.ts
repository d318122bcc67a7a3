import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Bundle } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { parseRelativeReference, resolveEntry, resolveReference, resourcesOfType } from './bundle'

const EXAMPLES = path.join(import.meta.dirname, '../bars/__fixtures__/examples')
const fixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Bundle

describe('resolveEntry / resolveReference', () => {
  const refresp01 = fixture('REFRESP01_Referral_Service_Request_Response_New_Full_ED_to_111_Safeguarding_DNA_Feedback.json')

  it('resolves urn:uuid fullUrls', () => {
    expect(resolveReference(refresp01, 'urn:uuid:9589fb37-87a2-48d8-968f-b371429208a8')?.resourceType).toBe('Patient')
  })

  it('resolves relative, absolute and versioned references by resource id', () => {
    expect(resolveReference(refresp01, 'Patient/e8cf748b-583d-4b0f-955b-9f8aefeb12b7')?.resourceType).toBe('Patient')
    expect(resolveReference(refresp01, 'https://sender.nhs.uk/fhir/Patient/e8cf748b-583d-4b0f-955b-9f8aefeb12b7')?.resourceType).toBe('Patient')
    expect(resolveReference(refresp01, 'Patient/e8cf748b-583d-4b0f-955b-9f8aefeb12b7/_history/2')?.resourceType).toBe('Patient')
  })

  it('resolves a relative reference by the fullUrl suffix when the resource has no id', () => {
    const bundle: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'https://x.nhs.uk/fhir/Slot/s1', resource: { resourceType: 'Slot', status: 'free', schedule: {}, start: '', end: '' } }] }
    expect(resolveEntry(bundle, 'Slot/s1')?.fullUrl).toBe('https://x.nhs.uk/fhir/Slot/s1')
  })

  it('does not match a different resource type with the same id', () => {
    expect(resolveReference(refresp01, 'Organization/e8cf748b-583d-4b0f-955b-9f8aefeb12b7')).toBeUndefined()
  })

  it('returns undefined for references outside the bundle or none', () => {
    expect(resolveReference(refresp01, 'urn:uuid:00000000-0000-4000-8000-000000000000')).toBeUndefined()
    expect(resolveReference(refresp01, 'Appointment/3cac9cde-a262-42b3-bcf1-215ab79c3e37')).toBeUndefined()
    expect(resolveReference(refresp01, '#contained')).toBeUndefined()
    expect(resolveReference(refresp01, undefined)).toBeUndefined()
  })
})

describe('resourcesOfType', () => {
  it('lists the resources of one type in bundle order', () => {
    const bundle = fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json')
    const flags = resourcesOfType(bundle, 'Flag')
    expect(flags).toHaveLength(3)
    expect(flags.every((f) => f.resourceType === 'Flag')).toBe(true)
    expect(resourcesOfType(bundle, 'Slot')).toEqual([])
    expect(resourcesOfType({ resourceType: 'Bundle', type: 'message' }, 'Flag')).toEqual([])
  })
})

describe('parseRelativeReference', () => {
  it('reads Type/id from relative and absolute references, not from urn:uuid', () => {
    expect(parseRelativeReference('Appointment/3cac9cde-a262-42b3-bcf1-215ab79c3e37')).toEqual({ type: 'Appointment', id: '3cac9cde-a262-42b3-bcf1-215ab79c3e37' })
    expect(parseRelativeReference('https://x.nhs.uk/fhir/ServiceRequest/abc')).toEqual({ type: 'ServiceRequest', id: 'abc' })
    expect(parseRelativeReference('urn:uuid:3cac9cde-a262-42b3-bcf1-215ab79c3e37')).toBeUndefined()
    expect(parseRelativeReference('appointment/1')).toBeUndefined()
    expect(parseRelativeReference(undefined)).toBeUndefined()
  })
})
