import { describe, expect, it } from 'vitest'
import { dateTimeToInstant, isFhirDate, isFhirDateTime, isFhirInstant, ZFhirCode, ZFhirId } from './primitives'

describe('FHIR R4 primitive formats', () => {
  it('date: YYYY, YYYY-MM, YYYY-MM-DD, real calendar dates only', () => {
    for (const ok of ['1980', '1980-02', '1980-02-29', '2024-02-29', '2026-12-31']) expect(isFhirDate(ok), ok).toBe(true)
    for (const bad of ['19800101', '1980-2-1', '2026-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-04-31', '1980-02-29T00:00:00Z', '', 'not a date']) {
      expect(isFhirDate(bad), bad).toBe(false)
    }
  })

  it('dateTime: a time needs seconds and a timezone; impossible times refused', () => {
    for (const ok of ['2026', '2026-03', '2026-03-01', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00.8185338+00:00', '2026-03-01T23:59:59-05:00']) expect(isFhirDateTime(ok), ok).toBe(true)
    for (const bad of ['2026-03-01T10:00', '2026-03-01T10:00:00', '2026-02-30T10:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T10:60:00Z', '2026-03-01T10:00:00+15:00', '2026-03-01 10:00:00Z']) {
      expect(isFhirDateTime(bad), bad).toBe(false)
    }
  })

  it('instant: to the second with a timezone', () => {
    expect(isFhirInstant('2026-03-01T10:00:00Z')).toBe(true)
    expect(isFhirInstant('2026-03-01')).toBe(false)
    expect(isFhirInstant('2026-03-01T10:00:00')).toBe(false)
  })

  it('id and code', () => {
    expect(ZFhirId.safeParse('79120f41-a431-4f08-bcc5-1e67006fcae0').success).toBe(true)
    expect(ZFhirId.safeParse('a'.repeat(65)).success).toBe(false)
    expect(ZFhirId.safeParse('has space').success).toBe(false)
    expect(ZFhirCode.safeParse('entered-in-error').success).toBe(true)
    expect(ZFhirCode.safeParse(' active').success).toBe(false)
    expect(ZFhirCode.safeParse('').success).toBe(false)
  })

  it('dateTimeToInstant: UTC ISO for a moment, undefined for partial dates and non-dates', () => {
    expect(dateTimeToInstant('2026-03-01T10:00:00+01:00')).toBe('2026-03-01T09:00:00.000Z')
    expect(dateTimeToInstant('2026-03-01')).toBeUndefined()
    expect(dateTimeToInstant('2026-02-30T10:00:00Z')).toBeUndefined()
  })
})
