import { outboxRepository } from './outbox-repository'
import { STUCK_AFTER_ATTEMPTS } from './stuck'

export interface TStuckResponses {
  count: number
  /** The oldest few, for links from the header. */
  referrals: { id: string; caseReference: string }[]
}

/** The header's count of stuck responses to senders (every service: staff are not assigned to one). */
export async function countStuckResponses(): Promise<TStuckResponses> {
  const { count, referrals } = await outboxRepository.stuck(STUCK_AFTER_ATTEMPTS)
  const seen = new Set<string>()
  return { count, referrals: referrals.filter((r) => !seen.has(r.id) && seen.add(r.id)) }
}
