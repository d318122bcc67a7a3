import { AppError } from '@/lib/errors/app-error'

export interface TCascadeStep<T> {
  /** What was matched, for diagnostics and audit, e.g. "resource id", "Bundle.id". */
  key: string
  /** The candidates this key finds, newest first; a step whose key the message lacks is left out. */
  find: () => Promise<T[]>
}

export interface TCascadeResult<T> {
  target: T
  matchedBy: string
}

/**
 * The matching cascade for cancellations (open question B2, documented in README.md "Finding what a cancellation cancels"): try each
 * key in order; the first key that finds anything decides. Among its candidates the newest current
 * one is the target; if it finds only records that are no longer current, the cancellation is
 * refused with 409 conflict (never a silent success); if no key finds anything, 400 invariant.
 */
export async function findCancelTarget<T extends { status: string }>(
  what: 'referral' | 'booking',
  steps: TCascadeStep<T>[],
  isCurrent: (t: T) => boolean,
  expression: string,
): Promise<TCascadeResult<T>> {
  for (const step of steps) {
    const found = await step.find()
    if (found.length === 0) continue
    const current = found.find(isCurrent)
    if (current) return { target: current, matchedBy: step.key }
    throw new AppError('conflict', `The ${what} this cancellation matches (by ${step.key}) is no longer current (status ${found[0]!.status}); nothing was changed.`, {
      expression,
    })
  }
  const tried = steps.map((s) => s.key).join(', ') || 'no matching key in the message'
  throw new AppError('invariant', `No ${what} at this service matches this cancellation (tried: ${tried}).`, { expression })
}
