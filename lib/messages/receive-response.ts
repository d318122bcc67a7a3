import type { Bundle } from '@medplum/fhirtypes'
import { buildMessageReply } from '@/lib/bars/reply'
import { auditRepository } from '@/lib/audit/audit-repository'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { messageRepository } from './message-repository'
import type { TWorkflowContext } from './process-message'
import { ourServiceEntryIds } from './reply-ids'

/**
 * A servicerequest-response addressed to us: the answer to a message we sent (an OutboxMessage),
 * named by MessageHeader.response.identifier = the Bundle.id we sent. The message itself is kept on
 * its InboundMessage row; the audit row links it to our outbox message and referral.
 */
export async function receiveResponse({ tx, msg, service, messageId, correlationId, requestId, now }: TWorkflowContext): Promise<Bundle> {
  const identifier = msg.header.response?.identifier?.trim()
  if (!identifier) {
    throw new AppError('invariant', 'MessageHeader.response.identifier (the Bundle.id of the message answered) is missing.', {
      expression: 'MessageHeader.response.identifier',
    })
  }
  const original = await messageRepository.findOutboxByBundleId(tx, identifier)
  if (!original) {
    throw new AppError('not-found', 'MessageHeader.response.identifier does not name a message this receiver sent.', {
      expression: 'MessageHeader.response.identifier',
    })
  }
  await auditRepository.record(
    {
      actorType: 'SENDER', actorId: msg.sourceEndpoint, action: 'response.receive', entityType: 'OutboxMessage', entityId: original.id, requestId, correlationId,
      outcome: 'success', detail: { inboundMessageId: messageId, referralId: original.referralId, answers: original.kind, responseCode: msg.header.response?.code },
    },
    tx,
  )
  if (original.referralId) await liveEventRepository.publish(tx, 'referral.updated', service.id, original.referralId)
  return buildMessageReply(msg.bundle, { byFullUrl: ourServiceEntryIds(msg.bundle, service), now: now.toISOString() })
}
