import type { Bundle } from '@medplum/fhirtypes'
import { buildMessageReply } from '@/lib/bars/reply'
import { summariseValidation, validationChanges } from '@/lib/bars/validation'
import { auditRepository } from '@/lib/audit/audit-repository'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import type { TWorkflowContext } from '@/lib/messages/process-message'
import { focusFullUrl, ourServiceEntryIds } from '@/lib/messages/reply-ids'
import { validationRepository } from './validation-repository'
import { summaryOfStored } from './stored-summary'

/**
 * An update (VALREQ02, A4.8–A4.10): found by our ServiceRequest id, else by X-Correlation-Id; stored
 * as a new version while the case is open (also while in progress: the clinician sees what changed,
 * Q10); re-queued on the new breach time. After our full response, a rejection or a cancellation → 409.
 */
export async function updateValidation({ tx, msg, service, messageId, correlationId, requestId, now }: TWorkflowContext): Promise<Bundle> {
  const summary = summariseValidation(msg)
  const target = await validationRepository.findTarget(tx, service.id, { resourceId: summary.resourceId, correlationId })
  if (!target) throw new AppError('not-found', 'No validation request of this service matches this update (ServiceRequest.id / X-Correlation-Id).', { expression: 'ServiceRequest.id' })
  if (target.state !== 'RECEIVED' && target.state !== 'IN_PROGRESS') {
    throw new AppError('conflict', `The validation request can no longer be updated: it has been ${target.state.toLowerCase().replace('_', ' ')}.`, { expression: 'ServiceRequest' })
  }
  const before = summaryOfStored(await validationRepository.currentBundle(tx, target.id), target)
  const changes = validationChanges(before, summary)
  const version = await validationRepository.applyUpdate(tx, { id: target.id, summary, changes, bundle: msg.bundle, messageId, now })
  if (version === null) throw new AppError('conflict', 'The validation request was closed while this update was processed.', { expression: 'ServiceRequest' })

  await auditRepository.record(
    {
      actorType: 'SENDER', actorId: msg.sourceEndpoint, action: 'validation.update', entityType: 'ValidationCase', entityId: target.id, patientNhs: summary.patient.nhsNumber,
      requestId, correlationId, outcome: 'success', detail: { version, changed: changes.map((c) => c.field) },
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
