/**
 * How use cases get a transaction without importing Prisma: `inTransaction(async (tx) => …)` at
 * the top of an entry point (the message workflow, a desk or clinician use case), and `tx` handed
 * down to the commands and repositories, which never open their own.
 *
 * A violation of one of our named database rules aborts the transaction (PostgreSQL cannot go on
 * after an error); it is translated here, after the rollback, into the 409 AppError of
 * lib/db/constraint-errors.ts. Anything else is rethrown unchanged.
 */
import { AppError } from '@/lib/errors/app-error'
import { constraintConflict } from './constraint-errors'
import { prisma, type Tx } from './prisma'

export type { Tx }

export interface TTransactionOptions {
  /** Longest the transaction may run (default 30 s). */
  timeoutMs?: number
  /** Longest to wait for a pooled connection before giving up (default 20 s: bursts of messages queue, not fail; then 503). */
  maxWaitMs?: number
}

export async function inTransaction<T>(fn: (tx: Tx) => Promise<T>, opts: TTransactionOptions = {}): Promise<T> {
  try {
    return await prisma().$transaction(fn, { timeout: opts.timeoutMs ?? 30_000, maxWait: opts.maxWaitMs ?? 20_000 })
  } catch (e) {
    throw constraintConflict(e) ?? poolExhausted(e) ?? e
  }
}

/**
 * Every pooled connection stayed busy for longer than maxWait (a burst far beyond the pool): the
 * caller is told to come back (503 REC_UNAVAILABLE, transient), which a message's idempotency
 * record does not remember, so the sender's retry is processed afresh.
 */
function poolExhausted(e: unknown): AppError | undefined {
  const o = e as { code?: unknown; message?: unknown } | null
  if (o?.code !== 'P2028' || typeof o.message !== 'string' || !o.message.includes('Unable to start a transaction')) return undefined
  return new AppError('unavailable', 'The receiver is busy; retry shortly.', { headers: { 'Retry-After': '2' } })
}
