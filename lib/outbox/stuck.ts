/**
 * When a response to a sender counts as stuck (pure). A first failure is routine (the sender's
 * system blinks, the worker retries within seconds); after STUCK_AFTER_ATTEMPTS failed attempts, or
 * once delivery has stopped (dead letter), the clinician who made the decision must see it, because
 * the sender still does not know (issue 11, finding 7).
 */
export const STUCK_AFTER_ATTEMPTS = 3

export function isStuck(m: { status: string; attempts: number }): boolean {
  return m.status === 'DEAD' || (m.status === 'PENDING' && m.attempts >= STUCK_AFTER_ATTEMPTS)
}
