/**
 * The booking module's commands: the ONLY code that writes Booking and BookingVersion and takes
 * or gives back the slot place a booking holds. The sender's messages (lib/bookings,
 * lib/referrals), the reception desk (lib/slots) and the clinician (lib/referrals actions) all
 * call these, inside the transaction their use case opened. Each command writes, in that
 * transaction: the change (one conditional UPDATE or an INSERT the partial unique indexes guard),
 * the version row (numbered from the UPDATE's RETURNING), the audit row and the live event.
 * What the change means for a linked referral (its state, the sender's message) is the referral
 * module's business: see lib/referrals/referral-commands.ts.
 */
import type { TPatientSummary } from '@/lib/bars/referral'
import { auditActor, staffId, type TActor } from '@/lib/audit/actor'
import { auditRepository } from '@/lib/audit/audit-repository'
import type { SqlTx } from '@/lib/db/sql'
import type { Tx } from '@/lib/db/transaction'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { claimPlace } from '@/lib/slots/slot-actor'
import { slotRepository, type TClaimed } from '@/lib/slots/slot-repository'
import { bookingRepository, type TBookingRow, type TVersionNote } from './booking-repository'

export type { TBookingRow }

export interface TBookInput {
  actor: TActor
  serviceId: string
  slotId: string
  now: Date
  /**
   * How the place is taken: a sender only into a window that has not started (what GET /Slot
   * offers), 409 when it is not free; staff also into a started window, and beyond capacity with
   * a reason (permission checked by the caller).
   */
  claim: { by: 'sender' } | { by: 'staff'; overbookReason?: string }
  id?: string
  referralId?: string | null
  correlationId?: string | null
  bundleId?: string | null
  sourceEndpoint?: string | null
  useCase?: string | null
  patient: TPatientSummary
  note: TVersionNote
  /** Audit action, e.g. booking.receive, booking.create, booking.rebook; `overbookAction` when the place was an overbooking. */
  action: string
  overbookAction?: string
  detail?: Record<string, unknown>
}

export interface TBooked extends TBookingRow {
  createdAt: Date
  slot: TClaimed
  overbookReason: string | null
}

/** A staff change has no bundle: its version row keeps a snapshot of what was changed. */
export function staffNote(summary: string, snapshot: Record<string, unknown>): TVersionNote {
  return { bundle: { source: 'staff', ...snapshot }, summary }
}

async function record(tx: SqlTx, actor: TActor, row: TBookingRow, action: string, detail?: Record<string, unknown>) {
  await auditRepository.record(
    {
      ...auditActor(actor),
      action,
      entityType: 'Booking',
      entityId: row.id,
      patientNhs: row.patientNhsNumber ?? undefined,
      outcome: 'success',
      detail: { slotId: row.slotId, ...detail },
    },
    tx,
  )
  await liveEventRepository.publish(tx, 'booking.changed', row.serviceId, row.id)
}

const noLongerCurrent = () => new AppError('conflict', 'The booking is no longer current (it was cancelled, moved or attended meanwhile); nothing was changed.')

export const bookingCommands = {
  /** Book: take a place (the one conditional UPDATE of slotRepository.claim) and store the booking with version 1. */
  async book(tx: Tx, input: TBookInput): Promise<TBooked> {
    let slot: TClaimed
    let overbookReason: string | null = null
    if (input.claim.by === 'sender') {
      const claimed = await slotRepository.claim(tx, input.slotId, input.serviceId, input.now, { notStarted: true })
      if (!claimed) throw new AppError('conflict', 'The slot is no longer free.', { expression: 'Appointment.slot' })
      slot = claimed
    } else {
      const r = await claimPlace(tx, { id: input.slotId, serviceId: input.serviceId }, input.now, input.claim.overbookReason)
      slot = r.claimed
      if (r.overbooked) overbookReason = input.claim.overbookReason ?? null
    }
    const row = await bookingRepository.insert(tx, {
      id: input.id ?? crypto.randomUUID(),
      serviceId: input.serviceId,
      slot,
      referralId: input.referralId,
      correlationId: input.correlationId,
      bundleId: input.bundleId,
      sourceEndpoint: input.sourceEndpoint,
      useCase: input.useCase,
      patient: input.patient,
      overbookReason,
      updatedById: staffId(input.actor),
      note: input.note,
    })
    await record(tx, input.actor, row, overbookReason && input.overbookAction ? input.overbookAction : input.action, { ...(input.referralId ? { referralId: input.referralId } : {}), ...(overbookReason ? { reason: overbookReason } : {}), ...input.detail })
    return { ...row, slot, overbookReason }
  },

  /**
   * Cancel a current booking (`WHERE status = 'booked'`) and give its place back. `decouple`
   * unlinks it from its referral (a sender's cancellation does; the receiver's own keep the link as
   * history). 409 when the booking is no longer current.
   */
  async cancel(
    tx: Tx,
    input: { actor: TActor; bookingId: string; status?: 'cancelled' | 'entered-in-error'; reason?: string | null; decouple?: boolean; note: TVersionNote; action: string; detail?: Record<string, unknown>; stale?: () => AppError },
  ): Promise<TBookingRow & { previousReferralId: string | null }> {
    const row = await bookingRepository.cancelIf(tx, input.bookingId, {
      status: input.status ?? 'cancelled',
      reason: input.reason,
      decouple: input.decouple ?? false,
      updatedById: staffId(input.actor),
    })
    if (!row) throw (input.stale ?? noLongerCurrent)()
    if (row.slotId) await slotRepository.release(tx, row.slotId, row.overbooked)
    await bookingRepository.addVersion(tx, row, input.note)
    await record(tx, input.actor, row, input.action, { status: row.status, ...(input.reason ? { reason: input.reason } : {}), ...input.detail })
    return row
  },

  /**
   * Move a current booking to another window of its service: claim the new place (or an audited
   * overbooking), then the conditional UPDATE (still booked, still in the window the caller saw),
   * then give the old place back.
   */
  async move(
    tx: Tx,
    input: { actor: TActor; booking: TBookingRow; toSlotId: string; overbookReason?: string; now: Date; note?: TVersionNote; action?: string; stale?: () => AppError },
  ): Promise<TBookingRow & { fromSlotId: string | null; fromStart: Date; fromEnd: Date }> {
    const b = input.booking
    const { claimed, overbooked } = await claimPlace(tx, { id: input.toSlotId, serviceId: b.serviceId }, input.now, input.overbookReason)
    const row = await bookingRepository.moveIf(tx, b.id, b.slotId, {
      slotId: claimed.id,
      start: claimed.start,
      end: claimed.end,
      overbooked,
      overbookReason: overbooked ? (input.overbookReason ?? null) : null,
      updatedById: staffId(input.actor),
    })
    if (!row) throw (input.stale ?? noLongerCurrent)()
    if (b.slotId) await slotRepository.release(tx, b.slotId, b.overbooked)
    await bookingRepository.addVersion(
      tx,
      row,
      input.note ?? staffNote('Moved to another window', { fromSlotId: b.slotId, toSlotId: claimed.id, start: claimed.start, end: claimed.end, overbooked }),
    )
    await record(tx, input.actor, row, input.action ?? (overbooked ? 'booking.move.overbook' : 'booking.move'), {
      fromSlotId: b.slotId,
      ...(overbooked ? { reason: input.overbookReason } : {}),
    })
    return { ...row, fromSlotId: b.slotId, fromStart: b.start, fromEnd: b.end }
  },

  /** Arrived / did not attend (or a correction between them), only from one of `from`. */
  async setAttendance(
    tx: Tx,
    input: { actor: TActor; bookingId: string; from: readonly string[]; outcome: 'arrived' | 'noshow'; action?: string; stale?: () => AppError; startedBy?: Date },
  ): Promise<TBookingRow> {
    const row = await bookingRepository.setStatusIf(tx, input.bookingId, input.from, input.outcome, staffId(input.actor), input.startedBy ?? null)
    if (!row) throw (input.stale ?? noLongerCurrent)()
    await bookingRepository.addVersion(tx, row, staffNote(input.outcome === 'arrived' ? 'Patient arrived' : 'Did not attend', { status: input.outcome }))
    await record(tx, input.actor, row, input.action ?? (input.outcome === 'arrived' ? 'booking.arrived' : 'booking.noshow'))
    return row
  },

  /** Link a current booking to a referral, only while it is unlinked and booked (409 otherwise). */
  async linkReferral(tx: SqlTx, input: { actor: TActor; bookingId: string; referralId: string; note: TVersionNote }): Promise<TBookingRow> {
    const row = await bookingRepository.linkReferralIf(tx, input.bookingId, input.referralId)
    if (!row) {
      throw new AppError('conflict', 'The Appointment named in ServiceRequest.supportingInfo is already linked to another active referral, or is no longer booked.', {
        expression: 'ServiceRequest.supportingInfo',
      })
    }
    await bookingRepository.addVersion(tx, row, input.note)
    await record(tx, input.actor, row, 'booking.link', { referralId: input.referralId })
    return row
  },

  /** The referral was cancelled by its sender: its bookings are decoupled (they stay booked). */
  async decoupleFromReferral(tx: Tx, input: { actor: TActor; referralId: string; note: TVersionNote }): Promise<string[]> {
    const rows = await bookingRepository.decoupleFromReferral(tx, input.referralId)
    for (const row of rows) {
      await bookingRepository.addVersion(tx, row, input.note)
      await liveEventRepository.publish(tx, 'booking.changed', row.serviceId, row.id)
    }
    return rows.map((r) => r.id)
  },

  /** The booking with a row lock, for a use case that must decide on its current state. */
  async lock(tx: Tx, bookingId: string): Promise<TBookingRow | null> {
    return bookingRepository.lock(tx, bookingId)
  },
}
