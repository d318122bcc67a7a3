import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatTime, formatTimeRange } from './format'

describe('the NHS.UK date and time style, in London time', () => {
  it('writes times the way the content guide does', () => {
    expect(formatTime('2026-12-01T08:02:39Z')).toBe('8:02am')
    expect(formatTime('2026-12-01T09:00:00Z')).toBe('9am')
    expect(formatTime('2026-12-01T12:00:00Z')).toBe('midday')
    expect(formatTime('2026-12-01T00:00:00Z')).toBe('midnight')
    expect(formatTime('2026-12-01T13:30:00Z')).toBe('1:30pm')
    expect(formatTime('2026-12-01T12:15:00Z')).toBe('12:15pm')
  })

  it('uses London summer time', () => {
    expect(formatDateTime('2026-07-01T07:02:00Z')).toBe('1 July 2026, 8:02am')
    expect(formatDateTime('2026-12-01T08:02:00Z')).toBe('1 December 2026, 8:02am')
  })

  it('treats a bare date as a calendar date and can name the weekday', () => {
    expect(formatDate('1959-05-04')).toBe('4 May 1959')
    expect(formatDate('2026-12-01T23:30:00Z', { weekday: true })).toBe('Tuesday 1 December 2026')
    expect(formatTimeRange('2026-12-01T09:00:00Z', '2026-12-01T09:30:00Z')).toBe('9am to 9:30am')
  })
})
