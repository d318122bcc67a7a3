import { describe, expect, it } from 'vitest'
import { caught } from '@/lib/testing/caught'
import {
  checkAccept,
  compareSemver,
  decodeNhsdHeaders,
  decodeTargetIdentifier,
  isUuid,
  rawTransactionIds,
  readTransactionIds,
  type THeaderGetter,
} from './headers'

const headers = (h: Record<string, string>): THeaderGetter => {
  const lower = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]))
  return (name) => lower[name.toLowerCase()] ?? null
}
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64')

const REQ = '5c6d3e0e-2f8b-4b0a-9e2c-1d4e5f6a7b8c'
const COR = 'A1B2C3D4-E5F6-4789-8ABC-DEF012345678'

describe('readTransactionIds', () => {
  it('returns both ids, lower-cased', () => {
    expect(readTransactionIds(headers({ 'X-Request-Id': REQ, 'X-Correlation-Id': ` ${COR} ` }))).toEqual({
      requestId: REQ,
      correlationId: COR.toLowerCase(),
    })
  })

  it.each<[string, Record<string, string>, RegExp]>([
    ['missing X-Request-Id', { 'X-Correlation-Id': COR }, /X-Request-Id header is missing/],
    ['blank X-Request-Id', { 'X-Request-Id': '  ', 'X-Correlation-Id': COR }, /X-Request-Id header is missing/],
    ['non-UUID X-Request-Id', { 'X-Request-Id': 'abc', 'X-Correlation-Id': COR }, /X-Request-Id header is not a UUID/],
    ['missing X-Correlation-Id', { 'X-Request-Id': REQ }, /X-Correlation-Id header is missing/],
    ['non-UUID X-Correlation-Id', { 'X-Request-Id': REQ, 'X-Correlation-Id': `${COR}0` }, /X-Correlation-Id header is not a UUID/],
  ])('rejects a %s with 400 invalid', (_what, h, message) => {
    const e = caught(() => readTransactionIds(headers(h)))
    expect(e.kind).toBe('invalid')
    expect(e.status).toBe(400)
    expect(e.message).toMatch(message)
  })

  it('keeps printable raw ids for echoing, drops anything else', () => {
    expect(rawTransactionIds(headers({ 'X-Request-Id': ' abc ', 'X-Correlation-Id': 'a b' }))).toEqual({ requestId: 'abc', correlationId: undefined })
    expect(rawTransactionIds(headers({ 'X-Request-Id': 'x'.repeat(201) }))).toEqual({ requestId: undefined, correlationId: undefined })
  })

  it('recognises UUIDs', () => {
    expect(isUuid(REQ)).toBe(true)
    expect(isUuid(COR)).toBe(true)
    expect(isUuid('5c6d3e0e2f8b4b0a9e2c1d4e5f6a7b8c')).toBe(false)
    expect(isUuid(null)).toBe(false)
  })
})

describe('decodeTargetIdentifier', () => {
  it('decodes base64 JSON system/value', () => {
    expect(decodeTargetIdentifier(b64({ value: '2000011147', system: 'https://fhir.nhs.uk/Id/dos-service-id' }))).toEqual({
      system: 'https://fhir.nhs.uk/Id/dos-service-id',
      value: '2000011147',
      isDos: true,
    })
  })

  it('defaults the system to dos-service-id and flags non-DoS systems', () => {
    expect(decodeTargetIdentifier(b64({ value: '2000011147' }))).toMatchObject({ system: 'https://fhir.nhs.uk/Id/dos-service-id', isDos: true })
    expect(decodeTargetIdentifier(b64({ system: 'http://fhir.nhs.uk/Id/dos-service-id', value: '1' })).isDos).toBe(true)
    expect(decodeTargetIdentifier(b64({ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RND' })).isDos).toBe(false)
  })

  it('requires the header', () => {
    expect(caught(() => decodeTargetIdentifier(null)).kind).toBe('required')
    expect(caught(() => decodeTargetIdentifier('   ')).kind).toBe('required')
  })

  it.each([
    ['not base64 JSON', '!!!not-base64!!!'],
    ['base64 of plain text', b64('hello')],
    ['JSON without a value', b64({ system: 'https://fhir.nhs.uk/Id/dos-service-id' })],
    ['a blank value', b64({ value: '  ' })],
    ['JSON null', b64('null')],
  ])('rejects %s with 400 value', (_what, header) => {
    expect(caught(() => decodeTargetIdentifier(header)).kind).toBe('value')
  })
})

describe('decodeNhsdHeaders', () => {
  const organisation = {
    resourceType: 'Organization',
    identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RYE' }],
    name: 'South Central Ambulance Service',
  }
  const practitionerRole = {
    resourceType: 'PractitionerRole',
    identifier: [{ system: 'https://fhir.nhs.uk/Id/sds-role-profile-id', value: '555021935107' }],
    code: [{ coding: [{ system: 'http://snomed.info/sct', code: '224608005' }] }],
    practitioner: { display: 'Dr Jane Smith' },
  }

  it('reads the organisation, software (deviceName as object) and practitioner', () => {
    const out = decodeNhsdHeaders(
      headers({
        'NHSD-End-User-Organisation': b64(organisation),
        'NHSD-Requesting-Software': b64({
          resourceType: 'Device',
          identifier: [{ system: 'https://consumersoftware.com/product-id', value: 'CONSUMER-SOFTWARE' }],
          deviceName: { name: 'Consumer Software', type: 'manufacturer-name' },
          version: { value: '1.2.3' },
        }),
        'NHSD-Requesting-Practitioner': b64(practitionerRole),
      }),
    )
    expect(out).toEqual({
      endUserOrganisation: { odsCode: 'RYE', name: 'South Central Ambulance Service' },
      requestingSoftware: { id: 'CONSUMER-SOFTWARE', name: 'Consumer Software', version: '1.2.3' },
      requestingPractitioner: { sdsRoleProfileId: '555021935107', roleCode: '224608005', name: 'Dr Jane Smith' },
      undecodable: [],
    })
  })

  it('accepts deviceName as a string and as a FHIR array, version as a string or array', () => {
    const asString = decodeNhsdHeaders(headers({ 'NHSD-Requesting-Software': b64({ deviceName: ' Consumer Software ', version: '2.0' }) }))
    expect(asString.requestingSoftware).toEqual({ id: undefined, name: 'Consumer Software', version: '2.0' })
    const asArray = decodeNhsdHeaders(
      headers({ 'NHSD-Requesting-Software': b64({ deviceName: [{ name: 'Array Software', type: 'model-name' }], version: [{ value: '3.1' }] }) }),
    )
    expect(asArray.requestingSoftware).toEqual({ id: undefined, name: 'Array Software', version: '3.1' })
  })

  it('notes undecodable headers instead of throwing', () => {
    const out = decodeNhsdHeaders(
      headers({
        'NHSD-End-User-Organisation': 'garbage%%%',
        'NHSD-Requesting-Software': b64('[1,2]'),
        'NHSD-Requesting-Practitioner': b64('"just a string"'),
      }),
    )
    expect(out).toEqual({ undecodable: ['nhsd-end-user-organisation', 'nhsd-requesting-software', 'nhsd-requesting-practitioner'] })
  })

  it('returns nothing for absent headers', () => {
    expect(decodeNhsdHeaders(headers({}))).toEqual({ undecodable: [] })
  })
})

describe('checkAccept', () => {
  it.each<[string | null, string]>([
    [null, '1.0.0'],
    ['', '1.0.0'],
    ['application/fhir+json', '1.0.0'],
    ['application/fhir+json; version=1.4.0', '1.4.0'],
    ['application/fhir+json;version=1.0.0', '1.0.0'],
    ['application/fhir+json; Version = 1.2.0', '1.2.0'],
    ['application/fhir+json; version="1.5.0"', '1.5.0'],
    ['application/fhir+json; version=1.1.0, application/fhir+json; version=1.3.0', '1.3.0'],
    ['*/*', '1.0.0'],
    ['application/json', '1.0.0'],
  ])('accepts %j as version %s', (accept, version) => {
    expect(checkAccept(accept)).toEqual({ version })
  })

  it.each(['application/fhir+json; version=2.0.0', 'application/fhir+json; version=0.9.0', 'text/html', 'application/fhir+xml'])(
    'rejects %s with 406',
    (accept) => {
      const e = caught(() => checkAccept(accept))
      expect(e.kind).toBe('not-acceptable')
      expect(e.status).toBe(406)
    },
  )
})

describe('compareSemver', () => {
  const sign = (a: string, b: string) => Math.sign(compareSemver(a, b))
  it('orders by major, minor, patch numerically', () => {
    expect(sign('1.0.0', '1.0.0')).toBe(0)
    expect(sign('1.10.0', '1.9.0')).toBe(1)
    expect(sign('1.0.9', '1.1.0')).toBe(-1)
    expect(sign('2.0.0', '1.99.99')).toBe(1)
    expect(sign('1.1', '1.1.0')).toBe(0)
  })
  it('sorts a pre-release before its release and pre-releases by SemVer precedence', () => {
    expect(sign('1.0.0-beta', '1.0.0')).toBe(-1)
    expect(sign('1.0.0', '1.0.0-beta')).toBe(1)
    expect(sign('1.0.0-alpha', '1.0.0-beta')).toBe(-1)
    expect(sign('1.0.0-beta.8', '1.0.0-beta.10')).toBe(-1) // numeric identifiers compare numerically
    expect(sign('1.0.0-alpha', '1.0.0-alpha.1')).toBe(-1)
    expect(sign('1.0.0-1', '1.0.0-alpha')).toBe(-1) // numeric < alphanumeric
    expect(sign('1.0.0-rc.1-x', '1.0.0-rc.1')).toBe(1) // hyphens inside the pre-release are part of it
    expect(sign('1.0.0-beta', '0.9.9')).toBe(1)
  })
  it('ignores build metadata', () => {
    expect(sign('1.2.0+build.5', '1.2.0')).toBe(0)
    expect(sign('1.2.0-beta+exp', '1.2.0-beta')).toBe(0)
  })
})

describe('headers are parsed by schemas (issue 9)', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64')

  it('NHSD-Target-Identifier with NUL, controls, a non-string or an over-long value → 400 value (never a database lookup)', () => {
    for (const value of ['111\u0000111', 'a\tb', 5, 'x'.repeat(65), '']) {
      expect(caught(() => decodeTargetIdentifier(b64({ system: 'https://fhir.nhs.uk/Id/dos-service-id', value }))).kind, JSON.stringify(value)).toBe('value')
    }
    expect(caught(() => decodeTargetIdentifier(b64({ system: 'has space', value: '111111111' }))).kind).toBe('value')
    expect(decodeTargetIdentifier(b64({ value: ' 111111111 ' }))).toMatchObject({ value: '111111111', isDos: true })
  })

  it('NHSD-* audit headers keep only printable text: a NUL ODS code or a numeric name is dropped, not fatal', () => {
    const headers: Record<string, string> = {
      'nhsd-end-user-organisation': b64({ identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RSH\u000001' }], name: 5 }),
      'nhsd-requesting-software': b64({ identifier: [{ value: 'sw-1' }], deviceName: { name: ['x'] }, version: [null] }),
    }
    const out = decodeNhsdHeaders((n) => headers[n] ?? null)
    expect(out.endUserOrganisation).toEqual({ odsCode: undefined, name: undefined })
    expect(out.requestingSoftware).toEqual({ id: 'sw-1', name: undefined, version: undefined })
    expect(out.undecodable).toEqual([])
  })
})
