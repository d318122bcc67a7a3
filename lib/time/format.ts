import { dateTimeFormat } from './london'

/**
 * The one date and time style of the staff screens, after the NHS.UK content guide: "1 December
 * 2026", "8:02am", "9am", "midday", "midnight", "1 December 2026, 8:02am", always in London time.
 */
type TInput = Date | string | number

function parts(at: TInput) {
  const p = dateTimeFormat('en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at))
  const get = (t: Intl.DateTimeFormatPartTypes) => p.find((x) => x.type === t)?.value ?? ''
  return { year: get('year'), month: get('month'), day: get('day'), weekday: get('weekday'), hour: Number(get('hour')), minute: get('minute') }
}

/** "8:02am", "9am", "midday", "midnight". */
export function formatTime(at: TInput): string {
  const { hour, minute } = parts(at)
  if (minute === '00' && hour === 0) return 'midnight'
  if (minute === '00' && hour === 12) return 'midday'
  const h = hour % 12 === 0 ? 12 : hour % 12
  return `${h}${minute === '00' ? '' : `:${minute}`}${hour < 12 ? 'am' : 'pm'}`
}

/** "1 December 2026" (weekday: "Tuesday 1 December 2026"). A bare YYYY-MM-DD is a calendar date, not an instant. */
export function formatDate(at: TInput, opts: { weekday?: boolean } = {}): string {
  const value = typeof at === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(at) ? `${at}T12:00:00Z` : at
  const { year, month, day, weekday } = parts(value)
  return `${opts.weekday ? `${weekday} ` : ''}${day} ${month} ${year}`
}

/** "1 December 2026, 8:02am". */
export function formatDateTime(at: TInput, opts: { weekday?: boolean } = {}): string {
  return `${formatDate(at, opts)}, ${formatTime(at)}`
}

/** "8am to 8:30am" — on one day. */
export function formatTimeRange(start: TInput, end: TInput): string {
  return `${formatTime(start)} to ${formatTime(end)}`
}
