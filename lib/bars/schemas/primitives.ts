import { z } from 'zod'

/**
 * FHIR R4 primitive formats for the values we read from an inbound message
 * (https://hl7.org/fhir/R4/datatypes.html). Each schema checks the lexical form *and* that a
 * date or time is real (2026-02-30 and 25:00 are refused), so nothing downstream meets a value it
 * cannot use.
 */

/** No NUL and no unpaired surrogate (the body reader refuses them too; this keeps lib/bars safe on its own). */
const clean = (s: string) => !s.includes('\u0000') && s.isWellFormed()

/** FHIR string: any Unicode text without NUL / lone surrogates, at most 1 MiB (R4 limit). */
export const ZFhirString = z.string().max(1_048_576).refine(clean, { message: 'contains a NUL character or an unpaired surrogate' })

/** FHIR id: 1–64 of A–Z a–z 0–9 - . */
export const ZFhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, { message: 'is not a FHIR id (1–64 of A-Z a-z 0-9 - .)' })

/** FHIR uri / url / canonical: no whitespace; bounded. */
export const ZFhirUri = z.string().max(4096).regex(/^\S*$/, { message: 'is not a uri (contains whitespace)' }).refine(clean, { message: 'contains a NUL character' })

/** FHIR code: no leading/trailing whitespace, single spaces only. */
export const ZFhirCode = z.string().max(1024).regex(/^[^\s]+( [^\s]+)*$/, { message: 'is not a FHIR code' })

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()

function realDate(y: string, m?: string, d?: string): boolean {
  if (!m) return true
  const mm = Number(m)
  if (mm < 1 || mm > 12) return false
  if (!d) return true
  const dd = Number(d)
  return dd >= 1 && dd <= daysIn(Number(y), mm)
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/
const DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?$/

function realTime(h: string, mi: string, s: string, tz: string): boolean {
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return false
  if (tz === 'Z') return true
  const [th, tm] = tz.slice(1).split(':').map(Number)
  return th! <= 14 && tm! <= 59
}

export function isFhirDate(v: string): boolean {
  const m = DATE.exec(v)
  return !!m && realDate(m[1]!, m[2], m[3])
}

export function isFhirDateTime(v: string): boolean {
  const m = DATE_TIME.exec(v)
  if (!m || !realDate(m[1]!, m[2], m[3])) return false
  return m[4] === undefined || realTime(m[4], m[5]!, m[6]!, m[8]!)
}

/** instant: a dateTime to the second with a timezone. */
export function isFhirInstant(v: string): boolean {
  return /T\d{2}:\d{2}:\d{2}/.test(v) && isFhirDateTime(v)
}

/** date: YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date. */
export const ZFhirDate = z.string().refine(isFhirDate, { message: 'is not a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD, a real date)' })
/** dateTime: a date, or a date and time to the second with a timezone (R4: a time needs a zone). */
export const ZFhirDateTime = z.string().refine(isFhirDateTime, { message: 'is not a FHIR dateTime (a real date, and a time needs seconds and a timezone)' })
/** instant: YYYY-MM-DDThh:mm:ss(.s+)(Z|±hh:mm), real. */
export const ZFhirInstant = z.string().refine(isFhirInstant, { message: 'is not a FHIR instant (YYYY-MM-DDThh:mm:ss with a timezone)' })

/**
 * A FHIR dateTime or instant as a UTC ISO instant, when it names a moment (has a time); partial
 * dates have no single moment and give undefined. Fractions beyond milliseconds are truncated.
 */
export function dateTimeToInstant(v: string | undefined): string | undefined {
  if (!v || !isFhirDateTime(v) || !v.includes('T')) return undefined
  const trimmed = v.replace(/(\.\d{3})\d+/, '$1')
  const ms = Date.parse(trimmed)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}
