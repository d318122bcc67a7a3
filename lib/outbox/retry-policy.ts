/**
 * What to do with a delivery attempt's result (pure). BaRS senders retry on 408 / 429 / 5xx and
 * transport failures, stop on 409 duplicate (already delivered) and on other 4xx (spec §7); we are
 * the sender of responses, so we follow the same rules, with exponential back-off.
 */
export interface TRetryPolicy {
  baseDelayMs: number
  maxDelayMs: number
  maxAttempts: number
}

export const DEFAULT_RETRY_POLICY: TRetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 15 * 60_000, maxAttempts: 20 }

export type TAttemptResult = { status: number; outcomeCodes: string[] } | { networkError: string }

export type TDecision = { kind: 'delivered'; note?: string } | { kind: 'retry'; delayMs: number; error: string } | { kind: 'dead'; error: string }

/** Delay before attempt n+1 after n failed attempts: base × 2^(n−1), capped. */
export function backoffMs(attempts: number, policy: TRetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1))
}

export function decide(result: TAttemptResult, attempts: number, policy: TRetryPolicy): TDecision {
  const retry = (error: string): TDecision =>
    attempts >= policy.maxAttempts ? { kind: 'dead', error: `${error}; gave up after ${attempts} attempts` } : { kind: 'retry', delayMs: backoffMs(attempts, policy), error }
  if ('networkError' in result) return retry(`network error: ${result.networkError}`)
  const { status } = result
  if (status >= 200 && status < 300) return { kind: 'delivered' }
  if (status === 409 && result.outcomeCodes.includes('duplicate')) return { kind: 'delivered', note: 'receiver answered 409 duplicate: already delivered' }
  if (status === 408 || status === 425 || status === 429 || status >= 500) return retry(`HTTP ${status}`)
  return { kind: 'dead', error: `HTTP ${status}${result.outcomeCodes.length ? ` (${result.outcomeCodes.join(', ')})` : ''}` }
}
