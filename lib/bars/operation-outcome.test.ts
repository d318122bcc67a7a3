import { describe, expect, it } from 'vitest'
import { ERROR_KINDS, type TErrorKind } from '@/lib/errors/app-error'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { buildOperationOutcome, HTTP_ERROR_CODES_SYSTEM, recCodeOf, UKCORE_OPERATION_OUTCOME } from './operation-outcome'

describe('buildOperationOutcome', () => {
  it('builds the BaRS receiver shape (spec §6.1)', () => {
    const outcome = buildOperationOutcome(
      { status: 400, recCode: 'REC_BAD_REQUEST', issueCode: 'invariant', diagnostics: 'Bundle.meta.versionId is missing.', expression: ['Bundle.meta.versionId'] },
      '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    )
    expect(outcome).toEqual({
      resourceType: 'OperationOutcome',
      id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      meta: { profile: [UKCORE_OPERATION_OUTCOME] },
      issue: [
        {
          severity: 'error',
          code: 'invariant',
          details: { coding: [{ system: 'https://fhir.nhs.uk/Codesystem/http-error-codes', code: 'REC_BAD_REQUEST', display: '400 - REC_BAD_REQUEST' }] },
          diagnostics: 'Bundle.meta.versionId is missing.',
          expression: ['Bundle.meta.versionId'],
        },
      ],
    })
    expectValidFhir(outcome)
  })

  it('omits an empty expression and generates an id', () => {
    const outcome = buildOperationOutcome({ status: 500, recCode: 'REC_SERVER_ERROR', issueCode: 'exception', diagnostics: 'Unhandled exception.', expression: [] })
    expect(outcome.issue[0]).not.toHaveProperty('expression')
    expect(outcome.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(buildOperationOutcome({ status: 500, recCode: 'REC_SERVER_ERROR', issueCode: 'exception', diagnostics: 'x' }).id).not.toBe(outcome.id)
  })

  it.each(Object.keys(ERROR_KINDS) as TErrorKind[])('is valid FHIR for error kind %s', (kind) => {
    const k = ERROR_KINDS[kind]
    const outcome = buildOperationOutcome({ ...k, diagnostics: `Diagnostics for ${kind}.`, expression: ['Bundle.entry'] })
    expectValidFhir(outcome)
    expect(recCodeOf(outcome)).toBe(k.recCode)
    expect(outcome.issue[0]!.details!.coding![0]!.display).toBe(`${k.status} - ${k.recCode}`)
  })

  it('allows other severities', () => {
    const outcome = buildOperationOutcome({ status: 200, recCode: 'OK', issueCode: 'informational', diagnostics: 'Deleted.', severity: 'information' })
    expect(outcome.issue[0]!.severity).toBe('information')
    expectValidFhir(outcome)
  })
})

describe('recCodeOf', () => {
  it('reads the REC_ code in either system spelling, and nothing from other systems', () => {
    const withSystem = (system: string) =>
      buildOperationOutcome({ status: 409, recCode: 'REC_CONFLICT', issueCode: 'duplicate', diagnostics: 'd' }, 'x').issue[0]!.details!.coding!.map((c) => ({ ...c, system }))
    const outcome = (system: string) => ({ resourceType: 'OperationOutcome' as const, issue: [{ severity: 'error' as const, code: 'duplicate' as const, details: { coding: withSystem(system) } }] })
    expect(HTTP_ERROR_CODES_SYSTEM).toBe('https://fhir.nhs.uk/Codesystem/http-error-codes')
    expect(recCodeOf(outcome('https://fhir.nhs.uk/Codesystem/http-error-codes'))).toBe('REC_CONFLICT')
    expect(recCodeOf(outcome('https://fhir.nhs.uk/CodeSystem/http-error-codes'))).toBe('REC_CONFLICT')
    expect(recCodeOf(outcome('http://hl7.org/fhir/ValueSet/operation-outcome'))).toBeUndefined()
    expect(recCodeOf({ resourceType: 'OperationOutcome', issue: [] })).toBeUndefined()
  })
})
