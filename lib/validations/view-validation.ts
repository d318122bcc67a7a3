import type { Bundle } from '@medplum/fhirtypes'
import { isUuid } from '@/lib/bars/headers'
import { readCasContent, type TCasContent } from '@/lib/bars/cas-referral'
import type { TValidationChange } from '@/lib/bars/validation'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { validationQueries, type TValidationState } from './validation-repository'

export interface TValidationView {
  id: string
  caseReference: string
  serviceName: string
  state: TValidationState
  fhirStatus: string
  useCase: string
  senderName: string | null
  patient: { name: string; nhsNumber: string | null; birthDate: string | null }
  breachAt: string
  clockStart: string | null
  originalArpCode: string | null
  arpCode: string | null
  safeguarding: boolean
  claimedById: string | null
  claimedByName: string | null
  interimSentAt: string | null
  rejectCode: string | null
  rejectText: string | null
  completedAt: string | null
  cancelReason: string | null
  lastChange: TValidationChange[]
  lastChangeAt: string | null
  content: TCasContent
  versions: { version: number; summary: string; at: string }[]
  responses: { id: string; kind: string; status: string; attempts: number; createdAt: string; deliveredAt: string | null; lastError: string | null }[]
  /** What this user may do now. */
  allowed: ('start' | 'reject' | 'complete')[]
  cursor: string
}

/** One case for the CAS clinician: the 999 content of the current version, what changed, versions, delivery. */
export async function viewValidation(id: string, user: { id: string; canAct: boolean }): Promise<TValidationView> {
  if (!isUuid(id)) throw new AppError('not-found', 'No such validation request.')
  const cursor = await liveEventRepository.latestId()
  const v = await validationQueries.detail(id)
  if (!v) throw new AppError('not-found', 'No such validation request.')
  const current = (v.versions[0]?.bundle ?? {}) as unknown as Bundle
  const mine = v.claimedById === user.id
  const allowed: TValidationView['allowed'] = !user.canAct
    ? []
    : v.state === 'RECEIVED'
      ? ['start', 'reject', 'complete']
      : v.state === 'IN_PROGRESS' && mine
        ? ['complete', 'reject']
        : []
  const changes = Array.isArray(v.lastChange) ? (v.lastChange as unknown as TValidationChange[]) : []
  return {
    id: v.id,
    caseReference: v.caseReference,
    serviceName: v.service.name,
    state: v.state,
    fhirStatus: v.fhirStatus,
    useCase: v.useCase,
    senderName: v.senderName,
    patient: { name: [v.patientGiven, v.patientFamily?.toUpperCase()].filter(Boolean).join(' ') || 'Name not provided', nhsNumber: v.patientNhsNumber, birthDate: v.patientBirthDate },
    breachAt: v.breachAt.toISOString(),
    clockStart: v.clockStart?.toISOString() ?? null,
    originalArpCode: v.originalArpCode,
    arpCode: v.arpCode,
    safeguarding: v.safeguarding,
    claimedById: v.claimedById,
    claimedByName: v.claimedByName,
    interimSentAt: v.interimSentAt?.toISOString() ?? null,
    rejectCode: v.rejectCode,
    rejectText: v.rejectText,
    completedAt: v.completedAt?.toISOString() ?? null,
    cancelReason: v.cancelReason,
    lastChange: changes,
    lastChangeAt: v.lastChangeAt?.toISOString() ?? null,
    content: readCasContent(current),
    versions: v.versions.map((x) => ({ version: x.version, summary: x.summary, at: x.createdAt.toISOString() })),
    responses: v.outbox.map((o) => ({ ...o, createdAt: o.createdAt.toISOString(), deliveredAt: o.deliveredAt?.toISOString() ?? null })),
    allowed,
    cursor,
  }
}
