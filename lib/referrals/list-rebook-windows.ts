import { AppError } from '@/lib/errors/app-error'
import { inboxRepository } from './inbox-repository'
import { referralActionsRepository } from './referral-actions-repository'

/**
 * Arrival windows with a free place that a referral can be booked into, soonest first — so the
 * windows that start before the referral's deadline come first — each marked when it starts at or
 * after the deadline (issue 11, finding 5: a 1-hour disposition must not be booked tomorrow unawares).
 */
export async function listRebookWindows(referralId: string, now = new Date()) {
  const r = /^[0-9a-f-]{36}$/i.test(referralId) ? await inboxRepository.stateOf(referralId) : null
  if (!r) throw new AppError('not-found', 'No such referral.')
  const rows = await referralActionsRepository.openWindows(r.serviceId, now)
  return rows.map((w) => ({
    id: w.id,
    start: w.start.toISOString(),
    end: w.end.toISOString(),
    free: w.free,
    afterDeadline: r.deadline ? w.start.getTime() >= r.deadline.getTime() : false,
  }))
}
