/**
 * The time by which an open referral must be seen (pure).
 *
 * The sender's own deadline is ServiceRequest.occurrencePeriod.end (spec §4.4: "end = disposition /
 * validation breach time"). It is optional for a referral, and real 111 messages (REFREQ01) leave it
 * out while carrying a Pathways disposition such as DX02 "attend … within 1 hour". A referral
 * without a deadline must not sink below ones with hours left, so we derive one from the
 * disposition's timeframe, counted from when the message was sent (Bundle.timestamp; the time we
 * received it when that is missing, unreadable or later than our receipt — the earlier time is the
 * safe one). The source is kept beside the time so nobody mistakes a derived deadline for the
 * sender's.
 */
export type TDeadlineSource = 'EXPLICIT' | 'DERIVED'

export interface TDispositionTimeframe {
  /** Minutes from the time the message was sent. */
  minutes: number
  /** As a clinician would say it: "within 1 hour", "immediately". */
  text: string
}

export interface TDeadline {
  /** ISO instant (UTC). */
  at: string
  source: TDeadlineSource
  /** For a derived deadline: the disposition it comes from. */
  basis?: { code: string; timeframe: TDispositionTimeframe }
}

/**
 * Known Pathways dispositions. pathways-dx-codes 1.0.2 holds only sample codes (spec, code systems
 * table: "treat as open"), so any other code falls back to reading the timeframe from its display.
 */
const KNOWN: Record<string, TDispositionTimeframe> = {
  DX02: { minutes: 60, text: 'within 1 hour' },
  DX335: { minutes: 0, text: 'immediately' },
}

const UNIT_MINUTES: Record<string, number> = { minute: 1, min: 1, hour: 60, hr: 60, day: 1440 }

/** The timeframe a disposition asks for, from its code or, failing that, its display ("… within 4 hours."). */
export function dispositionTimeframe(code: string | null | undefined, display?: string | null): TDispositionTimeframe | undefined {
  const known = code ? KNOWN[code.toUpperCase()] : undefined
  if (known) return known
  const text = display?.toLowerCase() ?? ''
  const within = /\bwithin\s+(\d{1,3})\s*(minute|min|hour|hr|day)s?\b/.exec(text)
  if (within) {
    const n = Number(within[1])
    const unit = within[2]!
    const word = UNIT_MINUTES[unit] === 1 ? 'minute' : UNIT_MINUTES[unit] === 60 ? 'hour' : 'day'
    return { minutes: n * UNIT_MINUTES[unit]!, text: `within ${n} ${word}${n === 1 ? '' : 's'}` }
  }
  if (/\bimmediately\b/.test(text)) return { minutes: 0, text: 'immediately' }
  return undefined
}

function instant(value: string | Date | null | undefined): number | undefined {
  if (!value) return undefined
  const ms = value instanceof Date ? value.getTime() : Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}

/** The referral's deadline: the sender's explicit one, else one derived from the disposition, else none. */
export function referralDeadline(input: {
  explicit?: string | null
  dispositionCode?: string | null
  dispositionDisplay?: string | null
  sentAt?: string | null
  receivedAt: Date | string
}): TDeadline | undefined {
  const explicit = instant(input.explicit)
  if (explicit !== undefined) return { at: new Date(explicit).toISOString(), source: 'EXPLICIT' }
  const timeframe = dispositionTimeframe(input.dispositionCode, input.dispositionDisplay)
  const received = instant(input.receivedAt)
  if (!timeframe || !input.dispositionCode || received === undefined) return undefined
  const sent = instant(input.sentAt)
  const from = sent !== undefined && sent <= received ? sent : received
  return { at: new Date(from + timeframe.minutes * 60_000).toISOString(), source: 'DERIVED', basis: { code: input.dispositionCode, timeframe } }
}

/** "derived from DX02 (within 1 hour)" — shown beside every derived deadline. */
export function deadlineSourceText(source: TDeadlineSource | null | undefined, dispositionCode?: string | null, dispositionDisplay?: string | null): string | undefined {
  if (source !== 'DERIVED') return undefined
  const tf = dispositionTimeframe(dispositionCode, dispositionDisplay)
  return `derived from ${dispositionCode ?? 'the disposition'}${tf ? ` (${tf.text})` : ''}`
}
