import { AppError } from '@/lib/errors/app-error'
import { resolveReference } from '@/lib/fhir/bundle'
import { isUuid } from './headers'
import type { TMessage } from './message'
import { patientSummary, type TPatientSummary } from './referral'

/**
 * What a referral cancellation (ServiceRequest revoked / entered-in-error) carries to find the
 * referral it cancels, in the order of the matching cascade (open question B2, README.md "Finding what a cancellation cancels").
 */
export interface TReferralCancelKeys {
  status: string
  /** ServiceRequest.id as sent: ours only if the sender read it from us first. */
  resourceId?: string
  bundleId?: string
  patient: TPatientSummary
  requestIdentifier?: string
  senderCaseId?: string
  /** ServiceRequest.reasonCode text: why the sender cancelled. */
  reason?: string
  lastUpdated?: string
}

export function referralCancelKeys(msg: TMessage): TReferralCancelKeys {
  const sr = msg.focus
  if (sr.resourceType !== 'ServiceRequest') {
    throw new AppError('invariant', 'A referral cancellation must focus a ServiceRequest.', { expression: 'MessageHeader.focus' })
  }
  const patient = resolveReference(msg.bundle, sr.subject?.reference)
  const encounter = resolveReference(msg.bundle, sr.encounter?.reference)
  const reasonCode = sr.reasonCode?.[0]
  return {
    status: sr.status ?? 'unknown',
    resourceId: isUuid(sr.id) ? sr.id.toLowerCase() : undefined,
    bundleId: msg.bundleId,
    patient: patientSummary(patient?.resourceType === 'Patient' ? patient : undefined),
    requestIdentifier: sr.identifier?.[0]?.value,
    senderCaseId: encounter?.resourceType === 'Encounter' ? encounter.identifier?.[0]?.value : undefined,
    reason: reasonCode?.text ?? reasonCode?.coding?.[0]?.display ?? reasonCode?.coding?.[0]?.code,
    lastUpdated: sr.meta?.lastUpdated,
  }
}

export interface TStoredPatient {
  patientNhsNumber: string | null
  patientFamily: string | null
  patientBirthDate: string | null
}

const norm = (s: string | null | undefined) => s?.trim().toLowerCase() || undefined

/**
 * Is this the same patient? By NHS number when both sides have one; otherwise by family name and
 * date of birth (patients may arrive without an NHS number, spec §4.5). `undefined` = cannot tell.
 */
export function samePatient(incoming: TPatientSummary, stored: TStoredPatient): boolean | undefined {
  if (incoming.nhsNumber && stored.patientNhsNumber) return incoming.nhsNumber === stored.patientNhsNumber
  const family = norm(incoming.family)
  const birth = incoming.birthDate
  if (family && birth && stored.patientFamily && stored.patientBirthDate) {
    return family === norm(stored.patientFamily) && birth === stored.patientBirthDate
  }
  return undefined
}

/**
 * Data-conflict rule (spec §4.7): an update whose resource `meta.lastUpdated` is older than our
 * record's last change was made against stale data. A missing or unreadable lastUpdated is not
 * treated as stale (tolerant reader).
 */
export function isStaleUpdate(lastUpdated: string | undefined, localChange: Date): boolean {
  if (!lastUpdated) return false
  const ms = Date.parse(lastUpdated)
  return Number.isFinite(ms) && ms < localChange.getTime()
}
