import { liveEventRepository } from '@/lib/live/live-event-repository'
import { validationQueries, type TValidationState } from './validation-repository'

export interface TQueueItem {
  id: string
  caseReference: string
  state: TValidationState
  useCase: string
  patient: string
  birthDate: string | null
  breachAt: string
  clockStart: string | null
  originalArpCode: string | null
  arpCode: string | null
  sceneSafety: string | null
  safeguarding: boolean
  claimedByName: string | null
  updatedAt: string | null
  delivery: { kind: string; status: string; attempts: number; lastError: string | null } | null
  undelivered: number
}

export interface TValidationQueue {
  services: { id: string; name: string }[]
  items: TQueueItem[]
  /** Cases whose response has not reached the 999 service (an alert on the queue, not an admin-only row). */
  alerts: { id: string; caseReference: string; patient: string; kind: string; status: string; lastError: string | null }[]
  cursor: string
}

/**
 * The CAS validation queue (A4.4, §3.8): open cases by breach time, for the CAS services (the
 * user's home CAS when it has one). Cursor first, so nothing between the read and the live
 * subscription is missed.
 */
export async function listValidations(user: { id: string }): Promise<TValidationQueue> {
  const cursor = await liveEventRepository.latestId()
  const all = await validationQueries.servicesOfKind('CAS')
  const home = await validationQueries.homeServiceOf(user.id)
  const services = home && all.some((s) => s.id === home) ? all.filter((s) => s.id === home) : all
  const rows = await validationQueries.queue(services.map((s) => s.id))
  const name = (r: { patientGiven: string | null; patientFamily: string | null }) => [r.patientGiven, r.patientFamily?.toUpperCase()].filter(Boolean).join(' ') || 'Name not provided'
  const items = rows
    .filter((r) => r.state === 'RECEIVED' || r.state === 'IN_PROGRESS')
    .map((r) => ({
      id: r.id,
      caseReference: r.caseReference,
      state: r.state,
      useCase: r.useCase,
      patient: name(r),
      birthDate: r.patientBirthDate,
      breachAt: r.breachAt.toISOString(),
      clockStart: r.clockStart?.toISOString() ?? null,
      originalArpCode: r.originalArpCode,
      arpCode: r.arpCode,
      sceneSafety: r.sceneSafety,
      safeguarding: r.safeguarding,
      claimedByName: r.claimedByName,
      updatedAt: r.lastChangeAt?.toISOString() ?? null,
      delivery: r.delivery,
      undelivered: r.undelivered,
    }))
  const alerts = rows
    .filter((r) => r.undelivered > 0)
    .map((r) => ({ id: r.id, caseReference: r.caseReference, patient: name(r), kind: r.delivery?.kind ?? '', status: r.delivery?.status ?? '', lastError: r.delivery?.lastError ?? null }))
  return { services: services.map((s) => ({ id: s.id, name: s.name })), items, alerts, cursor }
}
