import { AppError } from '@/lib/errors/app-error'
import type { SqlTx } from '@/lib/db/sql'
import { rateLimitRepository } from './rate-limit-repository'

export const RATE_WINDOW_SECONDS = 60

/**
 * Fixed one-minute windows per key ("sender:…", "user:…"), counted in PostgreSQL. Over the limit →
 * AppError throttled (429 REC_TOO_MANY_REQUESTS) with Retry-After until the window ends. With `tx`, the
 * count is part of that transaction (a message's: counted once it commits, and its shard row locked only
 * until then, which is why the message envelope counts last).
 */
export async function checkRateLimit(key: string, limit: number, now = new Date(), tx?: SqlTx): Promise<{ count: number; remaining: number }> {
  const windowMs = RATE_WINDOW_SECONDS * 1000
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs)
  const count = await rateLimitRepository.hit(key, windowStart, undefined, tx)
  if (count > limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000))
    throw new AppError('throttled', `Too many requests: at most ${limit} a minute. Retry after ${retryAfter} seconds.`, { headers: { 'retry-after': String(retryAfter) } })
  }
  return { count, remaining: limit - count }
}

/**
 * One call's allowance (`rateLimit: 'handler'` routes, lib/http/with-fhir-route.ts): whoever writes the
 * call's transaction counts it there with countCall; a call refused before that (its body, its
 * sender) is counted by the route on its own. `counted` says it has been, so no call counts twice.
 */
export interface TCallAllowance {
  key: string
  limit: number
  counted: boolean
}

/** Count the call against its allowance (in `tx` when given); 429 when over it. Marks it counted either way. */
export async function countCall(allowance: TCallAllowance, now = new Date(), tx?: SqlTx): Promise<void> {
  allowance.counted = true
  await checkRateLimit(allowance.key, allowance.limit, now, tx)
}
