import { outboxRepository } from './outbox-repository'

/** The admin view: messages waiting or dead-lettered, then the latest deliveries. */
export async function listOutbox() {
  const rows = await outboxRepository.list()
  return rows.map((m) => ({
    id: m.id,
    kind: m.kind,
    status: m.status,
    attempts: m.attempts,
    createdAt: m.createdAt.toISOString(),
    nextAttemptAt: m.nextAttemptAt.toISOString(),
    deliveredAt: m.deliveredAt?.toISOString() ?? null,
    lastError: m.lastError,
    target: m.targetBaseUrl,
    caseReference: m.referral?.caseReference ?? null,
    referralId: m.referral?.id ?? null,
    sender: m.referral?.senderName ?? null,
  }))
}
export type TOutboxRow = Awaited<ReturnType<typeof listOutbox>>[number]
