import { inboxRepository } from './inbox-repository'

/** "Review next": the next referral waiting for a decision, in worklist order. */
export async function findNextReferral(afterId?: string): Promise<string | null> {
  const next = await inboxRepository.nextNew(afterId)
  return next?.id ?? null
}
