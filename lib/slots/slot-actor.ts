/** Who is acting at the desk, and the shared rules of desk actions. */
import { auditActor, staffActor, type TStaffActor } from '@/lib/audit/actor'
import { auditRepository } from '@/lib/audit/audit-repository'
import type { Tx } from '@/lib/db/transaction'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { slotRepository } from './slot-repository'

/** The desk actor is the one staff actor type of lib/audit/actor.ts. */
export type TActor = TStaffActor

/** The desk actor for a signed-in staff user. */
export function deskActor(user: { id: string; roles: readonly string[] }, ip?: string): TActor {
  return staffActor(user, ip)
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** 404 for anything that is not a UUID (never hand a malformed id to the database). */
export function requireUuid(id: string, what: string): string {
  if (!UUID.test(id)) throw new AppError('not-found', `${what} not found.`)
  return id
}

export type TUnavailable = 'missing' | 'blocked' | 'ended' | 'full'

/** Why a window could not be claimed (only to explain; the claim itself is the conditional UPDATE). */
export async function whyUnavailable(tx: Tx, slotId: string, now: Date): Promise<TUnavailable> {
  const s = await slotRepository.slot(slotId, tx)
  if (!s) return 'missing'
  if (s.blocked) return 'blocked'
  if (s.end <= now) return 'ended'
  return 'full'
}

export function unavailableError(why: TUnavailable): AppError {
  if (why === 'missing') return new AppError('not-found', 'Arrival window not found.')
  return new AppError('conflict', why === 'full' ? 'This arrival window is full.' : why === 'blocked' ? 'This arrival window is blocked.' : 'This arrival window has ended.')
}

/**
 * Take a place in a window: the conditional UPDATE first; when the window is full and a reason was
 * given (permission already checked), an overbooking instead. 409 in every other case.
 */
export async function claimPlace(tx: Tx, slot: { id: string; serviceId: string }, now: Date, overbookReason: string | undefined) {
  const claimed = await slotRepository.claim(tx, slot.id, slot.serviceId, now)
  if (claimed) return { claimed, overbooked: false }
  const why = await whyUnavailable(tx, slot.id, now)
  if (why !== 'full' || !overbookReason) throw unavailableError(why)
  const over = await slotRepository.claimOverbook(tx, slot.id, slot.serviceId, now)
  if (!over) throw unavailableError(await whyUnavailable(tx, slot.id, now))
  return { claimed: over, overbooked: true }
}

export async function recordDeskChange(
  tx: Tx,
  actor: TActor,
  change: { action: string; serviceId: string; bookingId?: string; slotId?: string; patientNhs?: string | null; detail?: Record<string, unknown> },
) {
  await auditRepository.record(
    {
      ...auditActor(actor),
      action: change.action,
      entityType: change.bookingId ? 'Booking' : 'Slot',
      entityId: change.bookingId ?? change.slotId,
      patientNhs: change.patientNhs ?? undefined,
      outcome: 'success',
      detail: { slotId: change.slotId, ...change.detail },
    },
    tx,
  )
  await liveEventRepository.publish(tx, 'booking.changed', change.serviceId, change.bookingId ?? change.slotId ?? '')
}
