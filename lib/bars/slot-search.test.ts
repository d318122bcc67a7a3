import { describe, expect, it } from 'vitest'
import { AppError } from '@/lib/errors/app-error'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { buildSlotSearchset, parseFhirDateTime, parseSlotQuery, slotSearchSelfUrl, slotStatus } from './slot-search'

const NHS_EXAMPLE =
  'status=free,busy&start=ge2021-10-06T09:00:00%2B00:00&start=le2021-10-06T12:00:00%2B00:00&Schedule.actor%3AHealthcareService=2000099999' +
  '&_include=Slot%3Aschedule&_include=Schedule%3Aactor%3AHealthcareService&_include=Schedule%3Aactor%3APractitioner' +
  '&_include=Schedule%3Aactor%3APractitionerRole&_include=HealthcareService%3AprovidedBy&_include=HealthcareService%3Alocation'

const q = (s: string) => new URLSearchParams(s)

function errorOf(fn: () => unknown): { kind: string; expression?: string[] } {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return { kind: e.kind, expression: e.expression }
    throw e
  }
  throw new Error('expected an AppError')
}

describe('parseFhirDateTime', () => {
  it('accepts Z, +00:00, a non-zero offset, +hh and fractions, and reads a decoded "+" (space) as +', () => {
    expect(parseFhirDateTime('2022-03-01T12:00:00Z')!.date.toISOString()).toBe('2022-03-01T12:00:00.000Z')
    expect(parseFhirDateTime('2022-03-01T12:00:00+00:00')!.date.toISOString()).toBe('2022-03-01T12:00:00.000Z')
    expect(parseFhirDateTime('2022-07-01T13:00:00+01:00')!.date.toISOString()).toBe('2022-07-01T12:00:00.000Z')
    expect(parseFhirDateTime('2022-07-01T13:00:00+01')!.date.toISOString()).toBe('2022-07-01T12:00:00.000Z')
    expect(parseFhirDateTime('2021-10-11T15:01:30.8185338+00:00')!.date.toISOString()).toBe('2021-10-11T15:01:30.818Z')
    expect(parseFhirDateTime('2022-03-01T12:00:00 00:00')!.date.toISOString()).toBe('2022-03-01T12:00:00.000Z')
  })

  it('refuses dates without a time or offset, and impossible dates', () => {
    for (const bad of ['2022-03-01', '2022-03-01T12:00:00', '2022-02-31T12:00:00Z', '2022-13-01T12:00:00Z', 'yesterday', '2022-03-01T25:00:00Z']) {
      expect(parseFhirDateTime(bad), bad).toBeUndefined()
    }
  })
})

describe('parseSlotQuery', () => {
  it('reads the NHS example query: both statuses, the window, the service and the includes it honours', () => {
    const parsed = parseSlotQuery(q(NHS_EXAMPLE))
    expect(parsed).toMatchObject({
      statuses: ['free', 'busy'],
      serviceId: '2000099999',
      includes: ['Slot:schedule', 'Schedule:actor:HealthcareService', 'HealthcareService:providedBy'],
      ignoredIncludes: ['Schedule:actor:Practitioner', 'Schedule:actor:PractitionerRole', 'HealthcareService:location'],
    })
    expect(parsed.from.toISOString()).toBe('2021-10-06T09:00:00.000Z')
    expect(parsed.to.toISOString()).toBe('2021-10-06T12:00:00.000Z')
  })

  it('accepts Z, an un-encoded + (decoded to a space), repeated status, end=le and the proxy include spelling', () => {
    const parsed = parseSlotQuery(q('status=free&status=busy&start=ge2022-03-01T12:00:00+00:00&end=le2022-03-01T13:30:00Z&_include=HealthcareService.providedBy'), '111111111')
    expect(parsed.statuses).toEqual(['free', 'busy'])
    expect(parsed.from.toISOString()).toBe('2022-03-01T12:00:00.000Z')
    expect(parsed.to.toISOString()).toBe('2022-03-01T13:30:00.000Z')
    expect(parsed.serviceId).toBe('111111111') // from NHSD-Target-Identifier
    expect(parsed.includes).toContain('HealthcareService:providedBy')
  })

  it('takes the service from a token or a reference', () => {
    const base = 'status=free&start=ge2022-03-01T12:00:00Z&start=le2022-03-01T13:00:00Z&_include=Slot:schedule&Schedule.actor:HealthcareService='
    expect(parseSlotQuery(q(base + encodeURIComponent('https://fhir.nhs.uk/Id/dos-service-id|2000099999'))).serviceId).toBe('2000099999')
    expect(parseSlotQuery(q(base + 'HealthcareService/2000099999')).serviceId).toBe('2000099999')
  })

  const valid = { status: 'free', ge: 'ge2022-03-01T12:00:00Z', le: 'le2022-03-01T13:00:00Z', svc: '2000099999', inc: 'Slot:schedule' }
  const build = (o: Partial<typeof valid & { extra: string }> = {}) => {
    const v = { ...valid, ...o }
    const p = new URLSearchParams()
    if (v.status) p.append('status', v.status)
    if (v.ge) p.append('start', v.ge)
    if (v.le) p.append('start', v.le)
    if (v.svc) p.append('Schedule.actor:HealthcareService', v.svc)
    if (v.inc) p.append('_include', v.inc)
    if (o.extra) for (const [k, val] of new URLSearchParams(o.extra)) p.append(k, val)
    return p
  }

  it.each([
    ['no status', { status: '' }, 'required', 'status'],
    ['an unknown status', { status: 'free,maybe' }, 'value', 'status'],
    ['busy-unavailable (never offered)', { status: 'busy-unavailable' }, 'value', 'status'],
    ['no start at all', { ge: '', le: '' }, 'required', 'start'],
    ['only the lower bound', { le: '' }, 'required', 'start'],
    ['only the upper bound', { ge: '' }, 'required', 'start'],
    ['a start without prefix', { le: '2022-03-01T13:00:00Z' }, 'value', 'start'],
    ['a start without an offset', { ge: 'ge2022-03-01T12:00:00' }, 'value', 'start'],
    ['a date-only start', { ge: 'ge2022-03-01' }, 'value', 'start'],
    ['a reversed window', { ge: 'ge2022-03-02T12:00:00Z' }, 'invariant', 'start'],
    ['two lower bounds', { extra: 'start=ge2022-03-01T12:30:00Z' }, 'invalid', 'start'],
    ['no service (and no target identifier)', { svc: '' }, 'required', 'Schedule.actor:HealthcareService'],
    ['a malformed service id', { svc: 'not a service!' }, 'value', 'Schedule.actor:HealthcareService'],
    ['no _include', { inc: '' }, 'required', '_include'],
  ])('rejects %s with 400 %s on %s', (_name, change, kind, expression) => {
    const e = errorOf(() => parseSlotQuery(build(change as Partial<typeof valid>)))
    expect(e.kind).toBe(kind)
    expect(e.expression).toEqual([expression])
    expect(new AppError(e.kind as never, '').status).toBe(400)
  })

  it('ignores unsupported includes and unknown parameters rather than failing', () => {
    const parsed = parseSlotQuery(build({ inc: 'Foo:bar', extra: '_count=5&healthcareService=1' }))
    expect(parsed.ignoredIncludes).toEqual(['Foo:bar'])
    expect(parsed.includes).toEqual(['Slot:schedule', 'Schedule:actor:HealthcareService'])
  })
})

describe('slotSearchSelfUrl', () => {
  it('reflects the query as answered: honoured includes only, unsupported ones left out', () => {
    const url = new URL(slotSearchSelfUrl('https://ed.example.nhs.uk/fhir', parseSlotQuery(q(NHS_EXAMPLE))))
    expect(url.pathname).toBe('/fhir/Slot')
    expect(url.searchParams.get('status')).toBe('free,busy')
    expect(url.searchParams.getAll('start')).toEqual(['ge2021-10-06T09:00:00+00:00', 'le2021-10-06T12:00:00+00:00'])
    expect(url.searchParams.getAll('_include')).toEqual(['Slot:schedule', 'Schedule:actor:HealthcareService', 'HealthcareService:providedBy'])
    expect(url.searchParams.get('Schedule.actor:HealthcareService')).toBe('2000099999')
  })
})

describe('buildSlotSearchset', () => {
  const query = parseSlotQuery(q(NHS_EXAMPLE))
  const service = { dosServiceId: '2000099999', name: 'Emergency Department', odsCode: 'RXX01' }
  const now = new Date('2021-10-06T08:00:00Z')
  const schedules = [{ id: 'a5fab26c-0dfd-424f-be1d-afc877c1afb0', name: 'Arrival windows' }]
  const slots = [
    { id: '73706f31-2578-4377-88c7-c8b8a5891c4a', scheduleId: schedules[0]!.id, start: new Date('2021-10-06T09:00:00Z'), end: new Date('2021-10-06T09:30:00Z'), capacity: 3, booked: 1, overbooked: 0 },
    { id: '9f41ba91-d69a-4269-a558-54a20b79c4f2', scheduleId: schedules[0]!.id, start: new Date('2021-10-06T09:30:00Z'), end: new Date('2021-10-06T10:00:00Z'), capacity: 3, booked: 3, overbooked: 0 },
  ]

  it('returns Slots (match) with ids, their Schedule and the HealthcareService (include), valid FHIR', () => {
    const bundle = buildSlotSearchset({ query, slots, schedules, service, baseUrl: 'https://ed.example.nhs.uk/fhir', now })
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 2 })
    const types = bundle.entry!.map((e) => `${e.resource!.resourceType}:${e.search!.mode}`)
    expect(types).toEqual(['Slot:match', 'Slot:match', 'Schedule:include', 'HealthcareService:include', 'Organization:include'])
    for (const e of bundle.entry!) {
      expect(e.resource!.id).toBeTruthy()
      expect(e.fullUrl).toBe(`https://ed.example.nhs.uk/fhir/${e.resource!.resourceType}/${e.resource!.id}`)
    }
    const [free, busy] = bundle.entry!.map((e) => e.resource as any)
    expect(free).toMatchObject({ status: 'free', start: '2021-10-06T09:00:00.000+00:00', end: '2021-10-06T09:30:00.000+00:00' })
    expect(busy.status).toBe('busy')
    // Relative references resolve against the absolute fullUrls.
    expect(`https://ed.example.nhs.uk/fhir/${free.schedule.reference}`).toBe(bundle.entry![2]!.fullUrl)
    expect(`https://ed.example.nhs.uk/fhir/${(bundle.entry![2]!.resource as any).actor[0].reference}`).toBe(bundle.entry![3]!.fullUrl)
    expect(bundle.entry![3]!.resource).toMatchObject({ id: '2000099999', identifier: [{ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: '2000099999' }] })
    expectValidFhir(bundle)
  })

  it('answers "no slots" explicitly: total 0 and an informational OperationOutcome with search.mode outcome', () => {
    const bundle = buildSlotSearchset({ query, slots: [], schedules, service, baseUrl: 'https://ed.example.nhs.uk/fhir', now })
    expect(bundle.total).toBe(0)
    expect(bundle.entry).toHaveLength(1)
    expect(bundle.entry![0]).toMatchObject({ search: { mode: 'outcome' }, resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] } })
    expectValidFhir(bundle)
  })

  it('calls a window busy when every place is taken or it was overbooked', () => {
    expect(slotStatus({ capacity: 3, booked: 2 })).toBe('free')
    expect(slotStatus({ capacity: 3, booked: 3 })).toBe('busy')
    expect(slotStatus({ capacity: 3, booked: 2, overbooked: 1 })).toBe('busy')
  })
})
