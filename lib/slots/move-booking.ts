/**
 * Move a booked patient to another window of the same service: claim the new place (conditional
 * UPDATE, or an audited overbook with permission and reason), give the old one back, in one
 * transaction; refused with 409 if the booking changed meanwhile.
 *
 * A booking that holds a referral's window is moved the way the clinician rebooks: the old
 * booking is cancelled and a new one booked (a new Appointment id, as BaRS rebooks are cancel then
 * book), the referral follows the rebook transition and its sender gets the rebook message.
 */
import { can } from '@/lib/auth/permissions'
import { bookingCommands, staffNote } from '@/lib/bookings/booking-commands'
import { inTransaction } from '@/lib/db/transaction'
import { AppError } from '@/lib/errors/app-error'
import { referralCommands } from '@/lib/referrals/referral-commands'
import { requireUuid, type TActor } from './slot-actor'
import { slotRepository } from './slot-repository'

const changedMeanwhile = () => new AppError('stale-version', 'This booking was changed by someone else. Reload and try again.')

export async function moveBooking(input: { bookingId: string; toSlotId: string; overbookReason?: string; actor: TActor; now?: Date }) {
  const now = input.now ?? new Date()
  const id = requireUuid(input.bookingId, 'Booking')
  const target = await slotRepository.slot(requireUuid(input.toSlotId, 'Arrival window'))
  const reason = input.overbookReason?.trim()
  if (reason && !can(input.actor.roles, 'bookings:overbook')) throw new AppError('forbidden', 'You do not have permission to book beyond capacity.')

  return inTransaction(async (tx) => {
    const booking = await bookingCommands.lock(tx, id)
    if (!booking) throw new AppError('not-found', 'Booking not found.')
    if (booking.status !== 'booked') throw new AppError('conflict', 'Only a booking that is still booked can be moved.')
    if (!target || target.serviceId !== booking.serviceId) throw new AppError('not-found', 'Arrival window not found for this service.')
    if (target.id === booking.slotId) throw new AppError('invalid', 'The booking is already in this window.')

    if (!booking.referralId) {
      const moved = await bookingCommands.move(tx, { actor: input.actor, booking, toSlotId: target.id, overbookReason: reason || undefined, now, stale: changedMeanwhile })
      return { id: moved.id, slotId: moved.slotId!, overbooked: moved.overbooked }
    }

    // Linked to a referral: cancel, then book (what the clinician's rebook does), and tell both.
    const full = await slotRepository.booking(booking.id, tx)
    const cancelled = await bookingCommands.cancel(tx, {
      actor: input.actor,
      bookingId: booking.id,
      reason: 'Moved to another window by the receiving service',
      note: staffNote('Moved to another window at the desk', { status: 'cancelled', toSlotId: target.id }),
      action: 'booking.move.cancel',
      stale: changedMeanwhile,
    })
    const booked = await bookingCommands.book(tx, {
      actor: input.actor,
      serviceId: booking.serviceId,
      slotId: target.id,
      now,
      claim: { by: 'staff', overbookReason: reason || undefined },
      referralId: booking.referralId,
      correlationId: full?.correlationId ?? null,
      sourceEndpoint: full?.sourceEndpoint ?? null,
      useCase: full?.useCase ?? null,
      patient: {
        nhsNumber: full?.patientNhsNumber ?? undefined,
        family: full?.patientFamily ?? undefined,
        given: full?.patientGiven ?? undefined,
        birthDate: full?.patientBirthDate ?? undefined,
        postcode: full?.patientPostcode ?? undefined,
      },
      note: staffNote('Moved here from another window at the desk', { fromBookingId: booking.id, fromSlotId: booking.slotId }),
      action: 'booking.move',
      overbookAction: 'booking.move.overbook',
      detail: { fromSlotId: booking.slotId, previousBookingId: booking.id },
    })
    await referralCommands.followReceiverBookingChange(tx, {
      actor: input.actor,
      referralId: booking.referralId,
      change: {
        kind: 'moved',
        cancelled: { id: cancelled.id, start: cancelled.start, end: cancelled.end, slotId: cancelled.slotId },
        booked: { id: booked.id, start: booked.start, end: booked.end, slotId: booked.slotId },
      },
      now,
    })
    return { id: booked.id, slotId: booked.slotId!, overbooked: booked.overbooked }
  })
}
