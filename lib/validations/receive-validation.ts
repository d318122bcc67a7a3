import type { Bundle } from '@medplum/fhirtypes'
import { buildMessageReply } from '@/lib/bars/reply'
import { summariseValidation } from '@/lib/bars/validation'
import { auditRepository } from '@/lib/audit/audit-repository'
import { env } from '@/lib/env'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import type { TWorkflowContext } from '@/lib/messages/process-message'
import { focusFullUrl, ourServiceEntryIds } from '@/lib/messages/reply-ids'
import { isUniqueViolation, validationRepository } from './validation-repository'

/**
 * A new validation request (A4.1–A4.7): CarePlan active and a breach time (else 400), stored with
 * its first version, one open case per (service, X-Correlation-Id) by a partial unique index (a
 * second one is 409), answered with our ids and our `planned` Encounter — whose id is the focus of
 * every later interim / full response.
 */
export async function receiveValidation({ tx, msg, service, messageId, correlationId, requestId, now }: TWorkflowContext): Promise<Bundle> {
  const summary = summariseValidation(msg)
  const id = crypto.randomUUID()
  const encounterId = crypto.randomUUID()
  let caseReference: string
  try {
    ;({ caseReference } = await validationRepository.create(tx, {
      id,
      encounterId,
      serviceId: service.id,
      correlationId,
      bundleId: msg.bundleId ?? '',
      sourceEndpoint: msg.sourceEndpoint ?? '',
      summary,
      bundle: msg.bundle,
      messageId,
      receivedAt: now,
    }))
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new AppError('conflict', 'An open validation request already exists for this X-Correlation-Id; send an update (reason update) or cancel it first.', { expression: 'ServiceRequest' })
    }
    throw e
  }

  await auditRepository.record(
    { actorType: 'SENDER', actorId: msg.sourceEndpoint, action: 'validation.receive', entityType: 'ValidationCase', entityId: id, patientNhs: summary.patient.nhsNumber, requestId, correlationId, outcome: 'success' },
    tx,
  )
  await liveEventRepository.publish(tx, 'validation.received', service.id, id)

  const srUrl = focusFullUrl(msg.bundle, msg.focus)
  const patientUrl = (msg.bundle.entry ?? []).find((e) => e.resource?.resourceType === 'Patient')?.fullUrl
  return buildMessageReply(msg.bundle, {
    byFullUrl: { ...ourServiceEntryIds(msg.bundle, service), ...(srUrl ? { [srUrl]: id } : {}) },
    plannedEncounter: {
      id: encounterId,
      caseReference,
      identifierSystem: `${env().BARS_PUBLIC_URL.replace(/\/$/, '')}/Id/case-number`,
      patientRef: patientUrl,
      serviceRequestRef: srUrl,
    },
    now: now.toISOString(),
  })
}
