import type { Bundle } from '@medplum/fhirtypes'
import { referralCancelKeys } from '@/lib/bars/cancellation'
import { buildMessageReply } from '@/lib/bars/reply'
import { auditRepository } from '@/lib/audit/audit-repository'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import type { TWorkflowContext } from '@/lib/messages/process-message'
import { focusFullUrl, ourServiceEntryIds } from '@/lib/messages/reply-ids'
import { validationRepository } from './validation-repository'

/**
 * The requester cancels (SERVREQ01 revoked / SERVREQ02 entered-in-error, A4.11): the case leaves the
 * queue, a live event tells whoever has it open, and we send no further response for it. After our
 * full response or a rejection (or a second cancellation) → 409 (Q10/Q11).
 */
export async function cancelValidation({ tx, msg, service, messageId, correlationId, requestId, now }: TWorkflowContext): Promise<Bundle> {
  const k = referralCancelKeys(msg)
  const target = await validationRepository.findTarget(tx, service.id, { resourceId: k.resourceId, correlationId })
  if (!target) throw new AppError('not-found', 'No validation request of this service matches this cancellation (ServiceRequest.id / X-Correlation-Id).', { expression: 'ServiceRequest.id' })
  const version = await validationRepository.cancel(tx, { id: target.id, fhirStatus: k.status, reason: k.reason, bundle: msg.bundle, messageId, now })
  if (version === null) {
    throw new AppError('conflict', `The validation request can no longer be cancelled: it has been ${target.state.toLowerCase().replace('_', ' ')}.`, { expression: 'ServiceRequest.status' })
  }
  await auditRepository.record(
    {
      actorType: 'SENDER', actorId: msg.sourceEndpoint, action: 'validation.cancel', entityType: 'ValidationCase', entityId: target.id, patientNhs: k.patient.nhsNumber ?? target.patientNhsNumber ?? undefined,
      requestId, correlationId, outcome: 'success', detail: { status: k.status, wasClaimed: !!target.claimedById },
    },
    tx,
  )
  await liveEventRepository.publish(tx, 'validation.updated', service.id, target.id)
  const srUrl = focusFullUrl(msg.bundle, msg.focus)
  return buildMessageReply(msg.bundle, {
    byFullUrl: { ...ourServiceEntryIds(msg.bundle, service), ...(srUrl ? { [srUrl]: target.id } : {}) },
    now: now.toISOString(),
  })
}
