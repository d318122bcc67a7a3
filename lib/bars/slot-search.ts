/**
 * GET /Slot (spec §2.5) — pure: read and check the query, build the searchset.
 *
 * Query rules (liberal where senders are known to differ, open questions A5 and 26):
 *  - status: required; free and/or busy, comma-separated in one parameter (repeating it is accepted too).
 *  - start: required twice, ge… and le… (gt/lt accepted); a FHIR dateTime with a time and an offset,
 *    `Z` or ±hh:mm (±hh accepted). A `+` that arrived un-encoded (decoded to a space) is read as `+`.
 *    `end=le…` (the TKW form) is accepted as the upper bound.
 *  - Schedule.actor:HealthcareService: the service id (bare value, `system|value` or
 *    `HealthcareService/{id}`); when absent, the NHSD-Target-Identifier value is used.
 *  - _include: at least one required; Slot:schedule and Schedule:actor:HealthcareService are always
 *    answered (the minimum the IG asks for), HealthcareService:providedBy (or .providedBy) adds the
 *    Organization; anything else is ignored, and Bundle.link[self] lists only what was honoured.
 *  - Other parameters are ignored (and left out of the self link).
 *
 * "No slots" answer (open question 25, our decision): 200 with a searchset whose total is 0 and whose
 * only entry is an OperationOutcome with search.mode = outcome and one informational issue, so the
 * sender gets an explicit statement rather than a bare empty bundle.
 */
import type { Bundle, BundleEntry, HealthcareService, OperationOutcome, Organization, Schedule, Slot } from '@medplum/fhirtypes'
import { AppError } from '@/lib/errors/app-error'
import { parseToken, SYSTEMS } from './identifiers'

export type TSlotStatus = 'free' | 'busy'

export const SUPPORTED_INCLUDES = ['Slot:schedule', 'Schedule:actor:HealthcareService', 'HealthcareService:providedBy'] as const
export type TSupportedInclude = (typeof SUPPORTED_INCLUDES)[number]

/** Spellings seen in the wild for the includes we honour (open question 26). */
const INCLUDE_ALIASES: Record<string, TSupportedInclude> = {
  'slot:schedule': 'Slot:schedule',
  'slot:*': 'Slot:schedule',
  schedule: 'Slot:schedule',
  'schedule:actor:healthcareservice': 'Schedule:actor:HealthcareService',
  'schedule:actor': 'Schedule:actor:HealthcareService',
  'healthcareservice:providedby': 'HealthcareService:providedBy',
  'healthcareservice.providedby': 'HealthcareService:providedBy',
}

export interface TSlotQuery {
  statuses: TSlotStatus[]
  /** Inclusive bounds on Slot.start. */
  from: Date
  to: Date
  /** The text of the bounds as received (normalised), for the self link. */
  fromText: string
  toText: string
  /** DoS service id of the HealthcareService asked about. */
  serviceId: string
  includes: TSupportedInclude[]
  ignoredIncludes: string[]
}

const PARAM_SERVICE = 'Schedule.actor:HealthcareService'
// FHIR dateTime with a time and a zone: 2022-03-01T12:00:00+00:00, …Z, …+00, fractions allowed.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)$/

/** Parse one FHIR dateTime with an offset; undefined when it is not one. */
export function parseFhirDateTime(raw: string): { date: Date; text: string } | undefined {
  // An un-encoded "+" in a query string arrives as a space.
  const text = raw.trim().replace(/ (\d{2}(:?\d{2})?)$/, '+$1')
  const m = DATE_TIME.exec(text)
  if (!m) return undefined
  const [, y, mo, d, h, mi, s = '00', frac = '', zone] = m
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined
  const z = zone === 'Z' ? 'Z' : zone!.length === 3 ? `${zone}:00` : zone!.includes(':') ? zone! : `${zone!.slice(0, 3)}:${zone!.slice(3)}`
  const ms = frac ? frac.slice(0, 4).padEnd(4, '0') : '.000'
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${z}`)
  if (Number.isNaN(date.getTime())) return undefined
  // Reject impossible calendar dates (e.g. 31 February): the day must survive a round trip.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)))
  if (check.getUTCMonth() !== Number(mo) - 1) return undefined
  return { date, text }
}

function splitList(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
}

/** The service id named by the search parameter (bare id, token or reference). */
function serviceIdFrom(raw: string): string | undefined {
  const v = raw.trim()
  if (!v) return undefined
  if (v.includes('|')) {
    const t = parseToken(v)
    return t?.value
  }
  const ref = /^(?:.*\/)?HealthcareService\/([^/]+)$/.exec(v)
  return ref ? ref[1] : v
}

/**
 * Read the GET /Slot query. `fallbackServiceId` is the NHSD-Target-Identifier value, used when the
 * Schedule.actor:HealthcareService parameter is absent. Throws AppError 400 (required / value /
 * invariant) naming the parameter.
 */
export function parseSlotQuery(params: URLSearchParams, fallbackServiceId?: string): TSlotQuery {
  // status
  const statusValues = splitList(params.getAll('status'))
  if (statusValues.length === 0) throw new AppError('required', 'The status parameter is required (free, busy or free,busy).', { expression: 'status' })
  const statuses: TSlotStatus[] = []
  for (const s of statusValues) {
    if (s !== 'free' && s !== 'busy') throw new AppError('value', `Slot status "${s.slice(0, 40)}" is not supported; use free, busy or free,busy.`, { expression: 'status' })
    if (!statuses.includes(s)) statuses.push(s)
  }

  // start=ge… & start=le… (end=le… accepted)
  const bounds = [...params.getAll('start').map((v) => ({ name: 'start', v })), ...params.getAll('end').map((v) => ({ name: 'end', v }))]
  if (params.getAll('start').length === 0) throw new AppError('required', 'The start parameter is required twice: start=ge{dateTime}&start=le{dateTime}.', { expression: 'start' })
  let lower: { date: Date; text: string } | undefined
  let upper: { date: Date; text: string } | undefined
  for (const { name, v } of bounds) {
    const m = /^(ge|gt|le|lt|eq)?(.*)$/s.exec(v.trim())!
    const prefix = m[1]
    const parsed = parseFhirDateTime(m[2]!)
    if (!parsed) throw new AppError('value', `${name} must be a FHIR dateTime with a time and an offset, e.g. ge2022-03-01T12:00:00+00:00.`, { expression: name })
    if (prefix === 'ge' || prefix === 'gt') {
      if (name !== 'start' || lower) throw new AppError('invalid', 'Give exactly one lower bound: start=ge{dateTime}.', { expression: name })
      lower = prefix === 'gt' ? { ...parsed, text: `gt${parsed.text}` } : { ...parsed, text: `ge${parsed.text}` }
    } else if (prefix === 'le' || prefix === 'lt') {
      if (upper) throw new AppError('invalid', 'Give exactly one upper bound: start=le{dateTime}.', { expression: name })
      upper = prefix === 'lt' ? { ...parsed, text: `lt${parsed.text}` } : { ...parsed, text: `le${parsed.text}` }
    } else {
      throw new AppError('value', `${name} needs a ge or le prefix: start=ge{dateTime}&start=le{dateTime}.`, { expression: name })
    }
  }
  if (!lower) throw new AppError('required', 'The lower bound start=ge{dateTime} is required.', { expression: 'start' })
  if (!upper) throw new AppError('required', 'The upper bound start=le{dateTime} is required.', { expression: 'start' })
  if (upper.date.getTime() < lower.date.getTime()) throw new AppError('invariant', 'The start=le bound is before the start=ge bound.', { expression: 'start' })
  const from = lower.text.startsWith('gt') ? new Date(lower.date.getTime() + 1) : lower.date
  const to = upper.text.startsWith('lt') ? new Date(upper.date.getTime() - 1) : upper.date

  // Schedule.actor:HealthcareService
  const serviceParams = params.getAll(PARAM_SERVICE)
  if (serviceParams.length > 1) throw new AppError('invalid', `Give ${PARAM_SERVICE} once.`, { expression: PARAM_SERVICE })
  const serviceId = serviceParams.length ? serviceIdFrom(serviceParams[0]!) : fallbackServiceId
  if (!serviceId) throw new AppError('required', `The ${PARAM_SERVICE} parameter is required.`, { expression: PARAM_SERVICE })
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(serviceId)) throw new AppError('value', `${PARAM_SERVICE} is not a valid service id.`, { expression: PARAM_SERVICE })

  // _include
  const includeValues = params.getAll('_include').map((v) => v.trim()).filter(Boolean)
  if (includeValues.length === 0) {
    throw new AppError('required', 'The _include parameter is required: _include=Slot:schedule&_include=Schedule:actor:HealthcareService.', { expression: '_include' })
  }
  const includes: TSupportedInclude[] = ['Slot:schedule', 'Schedule:actor:HealthcareService']
  const ignoredIncludes: string[] = []
  for (const v of includeValues) {
    const known = INCLUDE_ALIASES[v.toLowerCase()]
    if (known) {
      if (!includes.includes(known)) includes.push(known)
    } else if (!ignoredIncludes.includes(v)) ignoredIncludes.push(v)
  }

  return { statuses, from, to, fromText: lower.text, toText: upper.text, serviceId, includes, ignoredIncludes }
}

/** The self link: the query as we understood and answered it (ignored includes left out). */
export function slotSearchSelfUrl(baseUrl: string, q: TSlotQuery): string {
  const p = new URLSearchParams()
  p.append('status', q.statuses.join(','))
  p.append('start', q.fromText)
  p.append('start', q.toText)
  p.append(PARAM_SERVICE, q.serviceId)
  for (const i of q.includes) p.append('_include', i)
  return `${baseUrl.replace(/\/$/, '')}/Slot?${p.toString()}`
}

export interface TSlotRow {
  id: string
  scheduleId: string
  start: Date
  end: Date
  capacity: number
  booked: number
  overbooked: number
}

export interface TScheduleRow {
  id: string
  name: string
}

export interface TServiceRow {
  dosServiceId: string
  name: string
  odsCode: string
}

export interface TSearchsetInput {
  query: TSlotQuery
  slots: readonly TSlotRow[]
  schedules: readonly TScheduleRow[]
  service: TServiceRow
  baseUrl: string
  now: Date
  id?: string
}

const UKCORE = (t: string) => `https://fhir.hl7.org.uk/StructureDefinition/UKCore-${t}`
const fhirInstant = (d: Date) => d.toISOString().replace('Z', '+00:00')

/** The Slot's FHIR status: busy when every place is taken (or overbooked), else free. */
export function slotStatus(s: { capacity: number; booked: number; overbooked?: number }): TSlotStatus {
  return s.booked >= s.capacity || (s.overbooked ?? 0) > 0 ? 'busy' : 'free'
}

/** The searchset for a query (see the module comment for the "no slots" form). */
export function buildSlotSearchset(input: TSearchsetInput): Bundle {
  const { query, service } = input
  // Absolute fullUrls; relative references (Type/id), which resolve against them (FHIR R4 Bundle rules).
  const base = input.baseUrl.replace(/\/$/, '')
  const url = (type: string, id: string) => `${base}/${type}/${id}`
  const healthcareServiceUrl = url('HealthcareService', service.dosServiceId)
  const orgUrl = url('Organization', service.odsCode)
  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: input.id ?? crypto.randomUUID(),
    meta: { lastUpdated: fhirInstant(input.now), profile: [UKCORE('Bundle')] },
    type: 'searchset',
    timestamp: fhirInstant(input.now),
    total: input.slots.length,
    link: [{ relation: 'self', url: slotSearchSelfUrl(input.baseUrl, query) }],
    entry: [],
  }
  const entries: BundleEntry[] = bundle.entry!
  if (input.slots.length === 0) {
    const outcome: OperationOutcome = {
      resourceType: 'OperationOutcome',
      id: crypto.randomUUID(),
      meta: { profile: [UKCORE('OperationOutcome')] },
      issue: [
        {
          severity: 'information',
          code: 'informational',
          details: { text: 'No slots' },
          diagnostics: `No ${query.statuses.join(' or ')} slots for service ${service.dosServiceId} starting between ${fhirInstant(query.from)} and ${fhirInstant(query.to)}.`,
        },
      ],
    }
    entries.push({ fullUrl: `urn:uuid:${outcome.id}`, resource: outcome, search: { mode: 'outcome' } })
    return bundle
  }

  for (const s of input.slots) {
    const slot: Slot = {
      resourceType: 'Slot',
      id: s.id,
      meta: { profile: [UKCORE('Slot')] },
      schedule: { reference: `Schedule/${s.scheduleId}` },
      status: slotStatus(s),
      start: fhirInstant(s.start),
      end: fhirInstant(s.end),
      ...(s.overbooked > 0 ? { overbooked: true } : {}),
    }
    entries.push({ fullUrl: url('Slot', s.id), resource: slot, search: { mode: 'match' } })
  }
  const used = new Set(input.slots.map((s) => s.scheduleId))
  for (const sc of input.schedules.filter((x) => used.has(x.id))) {
    const schedule: Schedule = {
      resourceType: 'Schedule',
      id: sc.id,
      meta: { profile: [UKCORE('Schedule')] },
      active: true,
      actor: [{ reference: `HealthcareService/${service.dosServiceId}`, display: service.name }],
      comment: sc.name,
    }
    entries.push({ fullUrl: url('Schedule', sc.id), resource: schedule, search: { mode: 'include' } })
  }
  const hs: HealthcareService = {
    resourceType: 'HealthcareService',
    id: service.dosServiceId,
    meta: { profile: [UKCORE('HealthcareService')] },
    identifier: [{ system: SYSTEMS.dosServiceId, value: service.dosServiceId }],
    active: true,
    name: service.name,
    ...(query.includes.includes('HealthcareService:providedBy') ? { providedBy: { reference: `Organization/${service.odsCode}` } } : {}),
  }
  entries.push({ fullUrl: healthcareServiceUrl, resource: hs, search: { mode: 'include' } })
  if (query.includes.includes('HealthcareService:providedBy')) {
    const org: Organization = {
      resourceType: 'Organization',
      id: service.odsCode,
      meta: { profile: [UKCORE('Organization')] },
      identifier: [{ system: SYSTEMS.odsOrganisation, value: service.odsCode }],
      active: true,
    }
    entries.push({ fullUrl: orgUrl, resource: org, search: { mode: 'include' } })
  }
  return bundle
}
