import { z } from 'zod'
import { AppError } from '@/lib/errors/app-error'
import { isUuid } from './headers'
import { isFhirDate } from './schemas/primitives'

/** A search parameter's value: printable text, at most 256 characters (no NUL or other controls). */
export const ZSearchValue = z
  .string()
  .max(256, { message: 'is longer than 256 characters' })
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'contains a control character (such as %00)' })
  .refine((v) => v.isWellFormed(), { message: 'is not valid Unicode' })

/**
 * Every parameter of a FHIR query, names and values, checked once before any route reads them
 * (fhirRoute): a NUL, another control character or text that is not Unicode is the sender's
 * mistake (400 value, expression = the parameter), never a database error.
 */
export function checkQueryText(params: URLSearchParams): void {
  for (const [name, value] of params) {
    if (!ZSearchValue.safeParse(name).success) throw new AppError('value', 'A query parameter name is not valid text.', { expression: 'query' })
    const r = ZSearchValue.safeParse(value)
    if (!r.success) throw new AppError('value', `The ${name} parameter ${r.error.issues[0]!.message}.`, { expression: name })
  }
}

/** Search criteria of GET /ServiceRequest and GET /Appointment (spec §2.6, §2.7; open question A12). */
export interface TPatientSearch {
  nhsNumber?: string
  /** patient:name — matches the start of the family or a given name, any case. */
  name?: string
  birthDate?: string
  /** patient:address-postalcode, upper case without spaces. */
  postcode?: string
  /** ServiceRequest.identifier value (ServiceRequest only). */
  identifier?: string
}

const NHS_SYSTEM = /^https?:\/\/fhir\.nhs\.uk\/id\/nhs-number$/i

/** A parameter value, decoded once more when a sender encoded it twice (TKW NBRS-2818/3965). */
function decoded(raw: string): string {
  const v = raw.trim()
  if (!/%[0-9a-f]{2}/i.test(v)) return v
  try {
    return decodeURIComponent(v)
  } catch {
    return v
  }
}

function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name).map(decoded).filter(Boolean)
  if (all.length > 1) throw new AppError('value', `The ${name} parameter may be given once.`, { expression: name })
  // Checked again after the second decoding (a double-encoded %2500 is a NUL too).
  const r = all[0] === undefined ? undefined : ZSearchValue.safeParse(all[0])
  if (r && !r.success) throw new AppError('value', `The ${name} parameter ${r.error.issues[0]!.message}.`, { expression: name })
  return all[0]
}

function parseNhsToken(raw: string): string {
  const bar = raw.indexOf('|')
  const system = bar < 0 ? '' : raw.slice(0, bar).trim()
  const value = (bar < 0 ? raw : raw.slice(bar + 1)).replace(/\s+/g, '')
  if (system && !NHS_SYSTEM.test(system)) {
    throw new AppError('value', 'patient:identifier must be https://fhir.nhs.uk/Id/nhs-number|{NHS number}.', { expression: 'patient:identifier' })
  }
  if (!/^\d{10}$/.test(value)) throw new AppError('value', 'patient:identifier must carry a 10-digit NHS number.', { expression: 'patient:identifier' })
  return value
}

function parseBirthDate(raw: string): string {
  const m = /^(eq)?(\d{4}-\d{2}-\d{2})$/.exec(raw.trim())
  if (!m || !isFhirDate(m[2]!)) {
    throw new AppError('value', 'patient:birthdate must be a date, YYYY-MM-DD (optionally prefixed eq).', { expression: 'patient:birthdate' })
  }
  return m[2]!
}

/**
 * Parse and check the search parameters. At least one way to find the patient is required: the NHS
 * number, or name + birth date + postcode together (patients without an NHS number), or (for
 * ServiceRequest) the referral identifier. Unknown parameters are ignored (tolerant reader).
 */
export function parsePatientSearch(params: URLSearchParams, opts: { allowIdentifier: boolean }): TPatientSearch {
  const out: TPatientSearch = {}
  const nhs = single(params, 'patient:identifier')
  if (nhs) out.nhsNumber = parseNhsToken(nhs)
  const name = single(params, 'patient:name')
  if (name) out.name = name.toLowerCase()
  const birth = single(params, 'patient:birthdate')
  if (birth) out.birthDate = parseBirthDate(birth)
  const postcode = single(params, 'patient:address-postalcode')
  if (postcode) out.postcode = postcode.replace(/\s+/g, '').toUpperCase()
  if (opts.allowIdentifier) {
    const id = single(params, 'identifier')
    if (id) {
      const bar = id.indexOf('|')
      const value = (bar < 0 ? id : id.slice(bar + 1)).trim()
      if (!value) throw new AppError('value', 'identifier must be a token: [system|]value.', { expression: 'identifier' })
      out.identifier = value
    }
  }
  const demographics = [out.name, out.birthDate, out.postcode].filter(Boolean).length
  if (!out.nhsNumber && !out.identifier && demographics < 3) {
    const how = opts.allowIdentifier ? 'patient:identifier, identifier, or' : 'patient:identifier or'
    throw new AppError('required', `Search needs ${how} patient:name with patient:birthdate and patient:address-postalcode.`, {
      expression: demographics ? ['patient:name', 'patient:birthdate', 'patient:address-postalcode'] : 'patient:identifier',
    })
  }
  return out
}

/** Does a stored patient match the name and postcode criteria (the database filters NHS number and birth date)? */
export function matchesDemographics(
  search: TPatientSearch,
  stored: { patientFamily: string | null; patientGiven: string | null; patientPostcode: string | null },
): boolean {
  if (search.name) {
    const parts = [stored.patientFamily, ...(stored.patientGiven ?? '').split(/\s+/)].filter(Boolean).map((p) => p!.toLowerCase())
    const wanted = search.name.split(/\s+/).filter(Boolean)
    if (!wanted.every((w) => parts.some((p) => p.startsWith(w)))) return false
  }
  if (search.postcode && (stored.patientPostcode ?? '').replace(/\s+/g, '').toUpperCase() !== search.postcode) return false
  return true
}

/** The {id} of GET /ServiceRequest/{id} and /Appointment/{id}: a UUID (400 value otherwise). */
export function readId(raw: string | undefined, type: string): string {
  if (!raw) throw new AppError('required', `The ${type} id is missing from the path.`, { expression: `${type}.id` })
  if (!isUuid(raw)) throw new AppError('value', `The ${type} id must be a UUID.`, { expression: `${type}.id` })
  return raw.toLowerCase()
}
