/** Wall-clock time in Europe/London ↔ UTC instants, correct across the clock changes. */
export const LONDON = 'Europe/London'

/**
 * One `Intl.DateTimeFormat` per locale and set of options (London time unless `opts.timeZone` says
 * otherwise), made on first use and kept. Making one costs tens of µs (it loads the time zone and
 * locale data); using one costs about 1 µs. When the inbox made a formatter for each date it showed,
 * that was about a sixth of the page's server CPU. The options come from our code, never from a
 * request, so the map holds a handful of entries.
 */
const formatters = new Map<string, Intl.DateTimeFormat>()
export function dateTimeFormat(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(opts)}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: opts.timeZone ?? LONDON })
    formatters.set(key, f)
  }
  return f
}

/** Offset of London from UTC at an instant, in minutes (0 in winter, 60 in summer). */
export function londonOffsetMinutes(at: Date): number {
  const parts = dateTimeFormat('en-GB', { hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(at)
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
  return dateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/** As `toLocaleString('en-GB', { timeZone: London, ...opts })`; opts name the fields (or a date/time style). */
export function formatLondon(at: Date | string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  return dateTimeFormat('en-GB', opts).format(new Date(at))
}
