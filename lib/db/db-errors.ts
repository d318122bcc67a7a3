import { AppError } from '@/lib/errors/app-error'

/**
 * The one place that turns a database failure into an answer (issue 9, item 3). Both route wrappers
 * (lib/http/with-fhir-route.ts, lib/http/with-route.ts) call `translateDbError` for anything that
 * is not already an AppError:
 *  - unique violation (Prisma P2002, PostgreSQL 23505) → 409 conflict;
 *  - record required but missing (P2025) → 404 not-found;
 *  - PostgreSQL unreachable, restarting, out of connections, or a connection/query timeout →
 *    503 unavailable (REC_UNAVAILABLE, issue `transient`) with Retry-After, so the BaRS proxy and
 *    senders retry instead of giving up on a 5xx that is not theirs to fix;
 *  - anything else → undefined (the wrapper answers a generic 500).
 * Module-specific translations (e.g. which partial unique index means which 409) happen closer to
 * the cause; this is the safety net. Only the code is ever logged: messages may quote row values.
 */
export type TDbErrorClass = 'conflict' | 'not-found' | 'unavailable'

/** Seconds a caller should wait before retrying while the database is unavailable (≤ 5, issue 9). */
export const DB_RETRY_AFTER_SECONDS = 2

/** P2028: a transaction could not start (or ran out of time) — the pool is saturated. */
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2037'])
const ADAPTER_UNAVAILABLE = new Set(['DatabaseNotReachable', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections'])
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'EAI_AGAIN'])
/** SQLSTATE: 08 connection exception, 53 insufficient resources (53300 too many connections), 57P01–57P03 shutdown / cannot connect now, 57014 statement timeout. */
const PG_UNAVAILABLE = /^(08...|53...|57P0[1-3]|57014)$/
/** pg (node-postgres) raises these as plain Errors, without a code. */
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end|server closed the connection|Can't reach database server|the database system is (starting up|shutting down|in recovery mode)|terminating connection|sorry, too many clients/i

interface TFound {
  cls: TDbErrorClass
  code: string
}

function fields(e: unknown): { code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: unknown; errors?: unknown } {
  return typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {}
}

function classifyOne(e: unknown): TFound | undefined {
  const f = fields(e)
  const code = typeof f.code === 'string' ? f.code : undefined
  const kind = typeof f.kind === 'string' ? f.kind : undefined
  const originalCode = typeof f.originalCode === 'string' ? f.originalCode : undefined
  if (code === 'P2002' || code === '23505' || originalCode === '23505' || kind === 'UniqueConstraintViolation') return { cls: 'conflict', code: code ?? originalCode ?? kind! }
  if (code === 'P2025') return { cls: 'not-found', code }
  if (code && (PRISMA_UNAVAILABLE.has(code) || SOCKET_UNAVAILABLE.has(code) || PG_UNAVAILABLE.test(code))) return { cls: 'unavailable', code }
  if (originalCode && PG_UNAVAILABLE.test(originalCode)) return { cls: 'unavailable', code: originalCode }
  if (kind && ADAPTER_UNAVAILABLE.has(kind)) return { cls: 'unavailable', code: kind }
  if (typeof f.message === 'string' && PG_MESSAGES.test(f.message)) return { cls: 'unavailable', code: code ?? 'connection' }
  return undefined
}

/** Classify a thrown value, looking through Prisma's wrappers (meta.driverAdapterError, cause, AggregateError). */
export function classifyDbError(e: unknown): TFound | undefined {
  const seen = new Set<unknown>()
  const queue: unknown[] = [e]
  while (queue.length) {
    const x = queue.shift()
    if (x === undefined || x === null || seen.has(x) || seen.size > 20) continue
    seen.add(x)
    const found = classifyOne(x)
    if (found) return found
    const f = fields(x)
    queue.push(f.cause)
    const meta = fields(f.meta) as { driverAdapterError?: unknown }
    queue.push(meta.driverAdapterError)
    if (Array.isArray(f.errors)) queue.push(...f.errors)
  }
  return undefined
}

/** The AppError a database failure stands for, or undefined when it is not one we can name. */
export function translateDbError(e: unknown): (AppError & { dbCode: string }) | undefined {
  const found = classifyDbError(e)
  if (!found) return undefined
  let err: AppError
  if (found.cls === 'conflict') err = new AppError('conflict', 'The request conflicts with the current state of the record.')
  else if (found.cls === 'not-found') err = new AppError('not-found', 'The record does not exist.')
  else {
    err = new AppError('unavailable', `The receiver's database is temporarily unavailable. Retry after ${DB_RETRY_AFTER_SECONDS} seconds.`, {
      headers: { 'retry-after': String(DB_RETRY_AFTER_SECONDS) },
    })
  }
  return Object.assign(err, { dbCode: found.code })
}
