import type { Resource } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { expectValidFhir, fhirIssues } from './fhir-validate'

describe('expectValidFhir', () => {
  it('passes a valid resource', () => {
    expect(expectValidFhir({ resourceType: 'Patient', birthDate: '1959-05-04' })).toEqual([])
  })

  it.each<[string, unknown, RegExp]>([
    ['unknown property', { resourceType: 'Patient', foo: 1 }, /Invalid additional property "foo"/],
    ['bad date', { resourceType: 'Patient', birthDate: '1959-13-45' }, /Patient\.birthDate/],
    ['missing required element', { resourceType: 'OperationOutcome', issue: [{ code: 'invalid' }] }, /OperationOutcome\.issue\.severity|severity/],
    ['string where an array belongs', { resourceType: 'Patient', name: 'Julie Jones' }, /Patient\.name/],
    ['broken invariant', { resourceType: 'Bundle', type: 'message', total: 1 }, /bdl-1/],
  ])('rejects a resource with a %s', (_what, resource, pattern) => {
    expect(() => expectValidFhir(resource as Resource)).toThrow(pattern)
  })

  it('ignores only the urn:uuid reference warnings medplum raises inside bundles', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:9589fb37-87a2-48d8-968f-b371429208a8', resource: { resourceType: 'Patient' } },
        { fullUrl: 'urn:uuid:1e91008e-96d0-438b-873c-c6d2c007fc29', resource: { resourceType: 'Flag', status: 'active', code: { text: 'x' }, subject: { reference: 'urn:uuid:9589fb37-87a2-48d8-968f-b371429208a8' } } },
      ],
    } as Resource
    expect(fhirIssues(bundle).some((i) => i.severity === 'warning')).toBe(true)
    expect(expectValidFhir(bundle)).toHaveLength(1)
  })
})
