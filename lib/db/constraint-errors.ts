/**
 * The rules PostgreSQL guarantees (partial unique indexes, CHECKs: see the migration
 * 20261201090000_integrity_rules) and what a sender or user is told when a write breaks one.
 *
 * A violation inside an interactive transaction aborts it; the use case that opened the
 * transaction lets it abort and calls `constraintConflict(e)` on the way out, so the caller gets a
 * 409 REC_CONFLICT OperationOutcome (and, for a message, the idempotency record remembers it)
 * instead of a 500.
 */
import { AppError } from '@/lib/errors/app-error'

const MESSAGES: Record<string, () => AppError> = {
  Referral_one_active_per_conversation: () =>
    new AppError('conflict', 'An active referral already exists for this X-Correlation-Id; cancel (revoke) it before referring again.', { expression: 'ServiceRequest' }),
  Booking_one_current_per_conversation: () =>
    new AppError('conflict', 'A current booking already exists for this X-Correlation-Id; cancel it before booking again (rebook = cancel, then book).', {
      expression: 'Appointment',
    }),
  Booking_one_current_per_referral: () => new AppError('conflict', 'The referral already has a current booking.', { expression: 'Appointment.basedOn' }),
  ReferralVersion_referralId_version_key: () => new AppError('stale-version', 'The referral was changed at the same moment; nothing was saved twice. Try again.'),
  BookingVersion_bookingId_version_key: () => new AppError('stale-version', 'The booking was changed at the same moment; nothing was saved twice. Try again.'),
  Slot_booked_within_capacity: () => new AppError('conflict', 'The arrival window is full.'),
}

/** The names of the constraints `constraintConflict` knows (for tests and docs). */
export const KNOWN_CONSTRAINTS = Object.keys(MESSAGES)

/** The SQLSTATE and constraint name of a PostgreSQL error, however Prisma (or pg) wrapped it. */
export function pgViolation(e: unknown): { sqlState?: string; constraint?: string } | undefined {
  const seen = new Set<unknown>()
  let sqlState: string | undefined
  let constraint: string | undefined
  const visit = (v: unknown, depth: number) => {
    if (!v || typeof v !== 'object' || seen.has(v) || depth > 6) return
    seen.add(v)
    const o = v as Record<string, unknown>
    for (const key of ['originalCode', 'code']) {
      if (typeof o[key] === 'string' && /^[0-9A-Z]{5}$/.test(o[key]) && /^\d{2}/.test(o[key])) sqlState ??= o[key]
    }
    if (typeof o.constraint === 'string') constraint ??= o.constraint
    for (const key of ['originalMessage', 'message']) {
      const m = typeof o[key] === 'string' ? /(?:unique|check|exclusion|foreign key) constraint "([^"]+)"/.exec(o[key]) : null
      if (m) constraint ??= m[1]
    }
    for (const key of ['meta', 'driverAdapterError', 'cause']) visit(o[key], depth + 1)
  }
  visit(e, 0)
  return sqlState || constraint ? { sqlState, constraint } : undefined
}

/**
 * The AppError for a violation of one of our named rules, or undefined for anything else
 * (which stays whatever it was: the route wrapper decides about unknown errors).
 */
export function constraintConflict(e: unknown): AppError | undefined {
  const v = pgViolation(e)
  if (!v?.constraint) return undefined
  return MESSAGES[v.constraint]?.()
}
