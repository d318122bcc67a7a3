import { auditRepository } from '@/lib/audit/audit-repository'
import { dosIdFromEndpoint } from '@/lib/bars/identifiers'
import { AppError } from '@/lib/errors/app-error'
import { outboxRepository } from './outbox-repository'

/**
 * Put a pending or dead-lettered message back in the queue now: identical body and ids (a retry,
 * so the sender de-duplicates it), delivered to the sender's currently configured base URL.
 */
export async function resendOutboxMessage(id: string, actor: { userId: string; ip?: string }, now = new Date()) {
  const m = /^[0-9a-f-]{36}$/i.test(id) ? await outboxRepository.find(id) : null
  if (!m) throw new AppError('not-found', 'No such outbox message.')
  if (m.status === 'DELIVERED') throw new AppError('conflict', 'This message has already been delivered.')
  const baseUrl = await outboxRepository.responseBaseUrl(dosIdFromEndpoint(m.targetEndpoint))
  const ok = await outboxRepository.requeue(id, now, baseUrl)
  if (!ok) throw new AppError('conflict', 'This message has already been delivered.')
  await auditRepository.record({
    actorType: 'USER',
    actorId: actor.userId,
    action: 'outbox.resend',
    entityType: 'OutboxMessage',
    entityId: id,
    correlationId: m.correlationId,
    outcome: 'success',
    ip: actor.ip,
    detail: { referralId: m.referralId },
  })
  return { id, status: 'PENDING' as const }
}
