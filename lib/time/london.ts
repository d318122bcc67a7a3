/** Wall-clock time in Europe/London ↔ UTC instants, correct across the clock changes. */
export const LONDON = 'Europe/London'

/** Offset of London from UTC at an instant, in minutes (0 in winter, 60 in summer). */
export function londonOffsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: LONDON,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at)
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value)
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'))
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000)
}

/**
 * The UTC instant of a London wall-clock time (date YYYY-MM-DD, minutes after midnight). A time that
 * does not exist (the spring-forward hour) moves forward by the gap; an ambiguous one (the autumn
 * repeat) takes the first occurrence.
 */
export function londonWallClockToUtc(date: string, minutes: number): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const naive = Date.UTC(y, m - 1, d, 0, minutes)
  // Try both possible offsets; prefer the earlier instant whose London wall clock matches.
  for (const offset of [60, 0]) {
    const candidate = new Date(naive - offset * 60_000)
    if (londonOffsetMinutes(candidate) === offset) return candidate
  }
  // In the spring gap neither matches: the wall clock jumps, so use the winter offset (moves forward).
  return new Date(naive)
}

/** YYYY-MM-DD of an instant in London. */
export function londonDate(at: Date): string {
  return at.toLocaleDateString('en-CA', { timeZone: LONDON })
}

export function formatLondon(at: Date | string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  return new Date(at).toLocaleString('en-GB', { timeZone: LONDON, ...opts })
}
