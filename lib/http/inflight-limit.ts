import { AppError } from '@/lib/errors/app-error'
import { env } from '@/lib/env'

/**
 * Load shedding for one app instance (issue 10). A bound on the requests a route works on at once:
 * beyond it the request is answered `503 REC_UNAVAILABLE` with `Retry-After` before anything is read
 * or written (no rate-limit row, no idempotency record, no message), so the sender may retry safely.
 * Without it, requests queue for a pool connection until Prisma gives up mid-message with a 500.
 *
 * The count is per process on purpose: it bounds this instance's CPU and pool, which are per process.
 * Nothing here is shared state that another instance needs to see.
 */
export interface TInflightLimiter {
  readonly name: string
  /** Requests being worked on now. */
  readonly inflight: number
  /** Take a place or throw AppError('unavailable') with Retry-After; call the returned function once to give it back. */
  acquire(): () => void
}

export function inflightLimiter(name: string, max: () => number, retryAfterSeconds = 1): TInflightLimiter {
  let inflight = 0
  return {
    name,
    get inflight() {
      return inflight
    },
    acquire() {
      if (inflight >= max()) {
        throw new AppError('unavailable', 'The receiver is at capacity; retry after the time in Retry-After.', {
          headers: { 'retry-after': String(retryAfterSeconds) },
        })
      }
      inflight++
      let released = false
      return () => {
        if (released) return
        released = true
        inflight--
      }
    },
  }
}

/** The bound on $process-message per instance (BARS_MAX_INFLIGHT_MESSAGES, read on every request so tests can lower it). */
export const processMessageLimiter = inflightLimiter('process-message', () => env().BARS_MAX_INFLIGHT_MESSAGES)

/**
 * The database failures that mean "too busy right now", not "broken": waiting too long for a pool
 * connection (pg's `connectionTimeoutMillis`), Prisma's transaction start timeout (P2028) or pool
 * timeout (P2024), PostgreSQL's too_many_connections (53300) / lock or statement timeouts (55P03, 57014)
 * and serialization failures (40001, 40P01). They are answered 503 with Retry-After instead of 500.
 */
const BUSY_CODES = new Set(['P2024', 'P2028', 'P2034', '53300', '53400', '55P03', '57014', '40001', '40P01'])
const BUSY_MESSAGES = [/timeout exceeded when trying to connect/i, /unable to start a transaction in the given time/i, /too many clients/i]

/**
 * The error code of a database failure, for the log line (never the message: it may quote patient
 * data): Prisma's P-code, the PostgreSQL SQLSTATE carried by the driver adapter, or a pg pool marker.
 */
export function dbErrorCode(e: unknown): string | undefined {
  const codes: string[] = []
  let cur: unknown = e
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const o = cur as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown; kind?: unknown } } }; cause?: unknown; message?: unknown }
    if (typeof o.code === 'string') codes.push(o.code)
    const da = o.meta?.driverAdapterError?.cause
    if (da) {
      if (typeof da.originalCode === 'string') codes.push(da.originalCode)
      else if (typeof da.code === 'string' && da.code !== 'N/A') codes.push(da.code)
      else if (typeof da.kind === 'string') codes.push(da.kind)
    }
    if (typeof o.message === 'string' && BUSY_MESSAGES[0]!.test(o.message)) codes.push('pool-timeout')
    cur = o.cause
  }
  return codes.length ? [...new Set(codes)].join('/') : undefined
}

/** true when a thrown database failure means overload (see BUSY_CODES): answer 503 + Retry-After. */
export function isDbBusy(e: unknown): boolean {
  const code = dbErrorCode(e)
  if (code && code.split('/').some((c) => BUSY_CODES.has(c) || c === 'pool-timeout' || c === 'TooManyConnections')) return true
  let cur: unknown = e
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const m = (cur as { message?: unknown }).message
    if (typeof m === 'string' && BUSY_MESSAGES.some((r) => r.test(m))) return true
    cur = (cur as { cause?: unknown }).cause
  }
  return false
}

export const BUSY_RETRY_AFTER_SECONDS = 1

/** The AppError a busy database becomes. */
export function busyError(): AppError {
  return new AppError('unavailable', 'The receiver is busy; retry after the time in Retry-After.', { headers: { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) } })
}
