import type { Bundle } from '@medplum/fhirtypes'
import { isStaleUpdate, referralCancelKeys, samePatient } from '@/lib/bars/cancellation'
import { buildMessageReply } from '@/lib/bars/reply'
import { auditRepository } from '@/lib/audit/audit-repository'
import { auditActor, senderActor } from '@/lib/audit/actor'
import { bookingCommands } from '@/lib/bookings/booking-commands'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { findCancelTarget, type TCascadeStep } from '@/lib/messages/find-cancel-target'
import type { TWorkflowContext } from '@/lib/messages/process-message'
import { focusFullUrl, ourServiceEntryIds } from '@/lib/messages/reply-ids'
import { referralRepository, type TReferralCandidate } from './referral-repository'

/**
 * Referral cancellation (servicerequest-request / update|delete / ServiceRequest revoked or
 * entered-in-error): find the current referral by the cascade of README.md "Finding what a cancellation cancels", record the new status
 * and reason as a new version, set our state to CANCELLED and decouple (not cancel) its bookings.
 */
export async function cancelReferral({ tx, msg, service, messageId, correlationId, requestId, now }: TWorkflowContext): Promise<Bundle> {
  const k = referralCancelKeys(msg)
  const steps: TCascadeStep<TReferralCandidate>[] = []
  if (k.resourceId) {
    const id = k.resourceId
    steps.push({ key: 'ServiceRequest.id', find: () => referralRepository.candidatesById(tx, service.id, id) })
  }
  if (k.bundleId) {
    const bundleId = k.bundleId
    steps.push({ key: 'Bundle.id of the referral message', find: () => referralRepository.candidatesByBundleId(tx, service.id, bundleId) })
  }
  steps.push({
    key: 'X-Correlation-Id and patient',
    find: async () => (await referralRepository.candidatesByCorrelation(tx, service.id, correlationId)).filter((c) => samePatient(k.patient, c) === true),
  })
  if (k.requestIdentifier || k.senderCaseId) {
    steps.push({
      key: 'ServiceRequest.identifier / Encounter.identifier',
      find: () => referralRepository.candidatesBySenderIdentifiers(tx, service.id, { requestIdentifier: k.requestIdentifier, senderCaseId: k.senderCaseId }),
    })
  }
  const { target, matchedBy } = await findCancelTarget('referral', steps, (c) => c.status === 'active', 'ServiceRequest')

  if (samePatient(k.patient, target) === false) {
    throw new AppError('invariant', 'The patient in the cancellation does not match the referral.', { expression: 'ServiceRequest.subject' })
  }
  if (isStaleUpdate(k.lastUpdated, target.updatedAt)) {
    throw new AppError('conflict', 'The referral was changed here after the version this cancellation was made from (ServiceRequest.meta.lastUpdated is older).', {
      expression: 'ServiceRequest.meta.lastUpdated',
    })
  }

  // One conditional UPDATE (`WHERE fhirStatus = 'active'`): of concurrent cancellations one wins, the others get 409.
  if (!(await referralRepository.cancelIf(tx, { id: target.id, fhirStatus: k.status, reason: k.reason, bundle: msg.bundle, messageId }))) {
    throw new AppError('conflict', 'The referral this cancellation matches was cancelled meanwhile; nothing was changed.', { expression: 'ServiceRequest' })
  }
  const actor = senderActor(msg.sourceEndpoint, { requestId, correlationId })
  const decoupled = await bookingCommands.decoupleFromReferral(tx, {
    actor,
    referralId: target.id,
    note: { bundle: msg.bundle, messageId, summary: 'Decoupled: the referral was cancelled by the sender' },
  })

  await auditRepository.record(
    {
      ...auditActor(actor), action: 'referral.cancel', entityType: 'Referral', entityId: target.id, patientNhs: k.patient.nhsNumber,
      requestId, correlationId, outcome: 'success', detail: { matchedBy, status: k.status, decoupledBookingIds: decoupled },
    },
    tx,
  )
  await liveEventRepository.publish(tx, 'referral.updated', service.id, target.id)

  const srUrl = focusFullUrl(msg.bundle, msg.focus)
  return buildMessageReply(msg.bundle, {
    byFullUrl: { ...ourServiceEntryIds(msg.bundle, service), ...(srUrl ? { [srUrl]: target.id } : {}) },
    now: now.toISOString(),
  })
}
