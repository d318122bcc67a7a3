import { deadlineSourceText } from '@/lib/bars/deadline'
import { formatNhsNumber, dosIdFromEndpoint } from '@/lib/bars/identifiers'
import { isReferralState, REFERRAL_STATES, REJECTED_REASONS, type TReferralState } from '@/lib/bars/referral-state'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { ageInYears } from '@/lib/time/age'
import { londonWallClockToUtc } from '@/lib/time/london'
import { inboxRepository } from './inbox-repository'
import { DECIDED_STATES, inboxLimit, INBOX_SORTS, type TInboxSort, type TSortDirection } from './inbox-tabs'

/** Use cases a UEC inbox meets (usecases-categories-bars 1.5.0). */
export const USE_CASE_LABELS: Record<string, string> = {
  a1t1: '111 to ED', a1t2: '111 to UTC', a1t3: 'IUC CAS to ED', a1t4: 'IUC CAS to UTC', a1t5: '999 to ED', a1t6: '999 to UTC',
  a1t7: '111 to SDEC', a1t8: 'IUC CAS to SDEC', a1t9: '999 to SDEC', a1t10: '111 to UEC', a1t11: 'IUC CAS to UEC', a1t12: '999 to UEC',
  a2t1: '111 Online to ED', a2t2: '111 Online to UTC', a2t3: 'Streaming and redirection to ED', a2t4: 'Streaming and redirection to UTC',
  a3t1: '999 to CAS referral', a4t1: '999 to CAS validation', a4t2: '999 to falls', a4t3: '999 to community services',
}

const DECISION_LABELS: Partial<Record<TReferralState, string>> = {
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  DID_NOT_ATTEND: 'Did not attend',
  CANCELLED: 'Cancelled by the sender',
  ARRIVED: 'Arrived',
}

export const SENDER_KIND_LABELS: Record<string, string> = { NHS111: '111', CAS: 'CAS', AMBULANCE_999: '999', OTHER: 'Other' }

/** One worklist row as the browser gets it (JSON: instants as ISO strings, no Prisma types): only what a row shows. */
export interface TInboxItem {
  id: string
  caseReference: string
  state: TReferralState
  patientName: string | null
  age: number | null
  nhsNumber: string | null
  chiefConcern: string | null
  disposition: string | null
  dispositionCode: string | null
  deadline: string | null
  /** "derived from DX02 (within 1 hour)" when we derived the deadline; null when it is the sender's (or none). */
  deadlineNote: string | null
  safeguarding: boolean
  flagCount: number
  sender: { kind: string | null; system: string | null; organisation: string | null }
  booking: { start: string; end: string } | null
  amberMinutes: number
  redMinutes: number
  /** On the closed tabs: what was decided, why, by whom and when (null while open). */
  decision: { label: string; reason: string | null; by: string | null; at: string } | null
}

export interface TInboxQuery {
  state?: string
  q?: string
  useCase?: string
  sender?: string
  /** Our service's DoS id; all services when absent. */
  service?: string
  /** YYYY-MM-DD (London): received on this day. */
  date?: string
  /** A column to sort by (INBOX_SORTS); default: time left on open tabs, decision time on closed ones. */
  sort?: string
  /** asc | desc */
  dir?: string
  /** How many rows to show (a multiple of INBOX_PAGE, up to INBOX_MAX_ROWS); INBOX_PAGE when absent. */
  show?: string
}

export interface TInboxData {
  items: TInboxItem[]
  counts: Record<TReferralState, number>
  /** The live-event cursor the list is at least as new as: subscribe from here (no gap). */
  cursor: string
  /** The order actually used. */
  sort: { by: TInboxSort; dir: TSortDirection }
  /** The rows asked for, and whether more match than were sent (the tab's count says how many). */
  limit: number
  more: boolean
  filters: { useCases: { code: string; label: string }[]; senders: { id: string; label: string }[]; services: { id: string; label: string }[] }
}

function nextDay(date: string): string {
  const d = new Date(`${date}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

/** A tab: the state name or its slug (did-not-attend); New when absent or unknown. */
function stateOf(value: string | undefined): TReferralState {
  const s = value?.toUpperCase().replace(/-/g, '_') ?? 'NEW'
  return isReferralState(s) ? s : 'NEW'
}

export async function listInbox(query: TInboxQuery = {}, now = new Date()): Promise<TInboxData> {
  // Read the cursor first: an event that lands while we read is replayed, never lost.
  const cursor = await liveEventRepository.latestId()
  const date = query.date && /^\d{4}-\d{2}-\d{2}$/.test(query.date) ? query.date : undefined
  const filter = {
    state: stateOf(query.state),
    q: query.q?.slice(0, 100),
    useCase: query.useCase || undefined,
    sender: query.sender || undefined,
    service: query.service || undefined,
    receivedFrom: date ? londonWallClockToUtc(date, 0) : undefined,
    receivedTo: date ? londonWallClockToUtc(nextDay(date), 0) : undefined,
  }
  // The service's row id, so the worklist index (serviceId, state, order…) serves the page without a sort.
  // Without one, the worklist's own services (emergency departments; a CAS and a pharmacy have their own lists).
  const services = await inboxRepository.services()
  const serviceId = filter.service ? ((await inboxRepository.serviceIdOf(filter.service)) ?? undefined) : undefined
  Object.assign(filter, serviceId ? { serviceId } : filter.service ? {} : { serviceIds: services.map((s) => s.id) })
  const closed = DECIDED_STATES.includes(filter.state)
  const by = (INBOX_SORTS as readonly string[]).includes(query.sort ?? '') ? (query.sort as TInboxSort) : closed ? 'decided' : 'deadline'
  const dir: TSortDirection = query.dir === 'asc' || query.dir === 'desc' ? query.dir : by === 'decided' || by === 'received' ? 'desc' : 'asc'
  const limit = inboxLimit(query.show)
  const [found, counts, senders] = await Promise.all([
    inboxRepository.list(filter, limit + 1, { by, dir }),
    inboxRepository.countsByState(filter),
    inboxRepository.senders(),
  ])
  const more = found.length > limit
  const rows = more ? found.slice(0, limit) : found
  const senderByDos = new Map(senders.map((s) => [s.dosServiceId, s]))
  const names = await inboxRepository.staffNames([...new Set(rows.flatMap((r) => (r.decidedById ? [r.decidedById] : [])))])
  const items = rows.map((r): TInboxItem => {
    const sender = senderByDos.get(dosIdFromEndpoint(r.sourceEndpoint) ?? '')
    const name = [r.patientGiven, r.patientFamily?.toUpperCase()].filter(Boolean).join(' ')
    return {
      id: r.id,
      caseReference: r.caseReference,
      state: r.state,
      patientName: name || null,
      age: ageInYears(r.patientBirthDate, now) ?? null,
      nhsNumber: formatNhsNumber(r.patientNhsNumber) ?? null,
      chiefConcern: r.chiefConcern,
      disposition: r.dispositionDisplay,
      dispositionCode: r.dispositionCode,
      deadline: r.deadline?.toISOString() ?? null,
      deadlineNote: deadlineSourceText(r.deadlineSource, r.dispositionCode, r.dispositionDisplay) ?? null,
      safeguarding: r.safeguarding,
      flagCount: r.flagCount,
      sender: { kind: sender ? (SENDER_KIND_LABELS[sender.kind] ?? null) : null, system: sender?.name ?? null, organisation: r.senderName },
      booking: r.bookings[0] ? { start: r.bookings[0].start.toISOString(), end: r.bookings[0].end.toISOString() } : null,
      amberMinutes: r.service.amberMinutes,
      redMinutes: r.service.redMinutes,
      decision: DECIDED_STATES.includes(r.state)
        ? {
            label: DECISION_LABELS[r.state] ?? r.state,
            reason:
              r.state === 'CANCELLED'
                ? r.cancelReason
                : r.decisionCode
                  ? `${REJECTED_REASONS[r.decisionCode as keyof typeof REJECTED_REASONS] ?? r.decisionCode}${r.decisionText ? `: ${r.decisionText}` : ''}`
                  : null,
            by: r.state === 'CANCELLED' ? 'The sender' : r.decidedById ? (names.get(r.decidedById) ?? 'Unknown user') : null,
            at: (r.decidedAt ?? r.updatedAt).toISOString(),
          }
        : null,
    }
  })
  const useCases = [...new Set(services.flatMap((s) => s.useCases))].sort().map((code) => ({ code, label: USE_CASE_LABELS[code] ?? code }))
  return {
    items,
    counts: Object.fromEntries(REFERRAL_STATES.map((s) => [s, counts[s] ?? 0])) as Record<TReferralState, number>,
    cursor,
    sort: { by, dir },
    limit,
    more,
    filters: {
      useCases,
      senders: senders.map((s) => ({ id: s.dosServiceId, label: `${s.name} (${SENDER_KIND_LABELS[s.kind] ?? s.kind})` })),
      services: services.map((s) => ({ id: s.dosServiceId, label: s.name })),
    },
  }
}
