/**
 * Cancel a booking at the desk, with a reason; its place goes back to the window. A booking that
 * holds a referral's window also tells the referral (Booked → New) and its sender (the
 * booking-cancelled message), in the same transaction (docs/responses.md).
 */
import { bookingCommands, staffNote } from '@/lib/bookings/booking-commands'
import { inTransaction } from '@/lib/db/transaction'
import { AppError } from '@/lib/errors/app-error'
import { referralCommands } from '@/lib/referrals/referral-commands'
import { requireUuid, type TActor } from './slot-actor'

const changedMeanwhile = () => new AppError('stale-version', 'This booking was changed by someone else. Reload and try again.')

export async function cancelBooking(input: { bookingId: string; reason: string; actor: TActor; now?: Date }) {
  const now = input.now ?? new Date()
  const reason = input.reason.trim()
  if (!reason) throw new AppError('required', 'Enter a reason for cancelling.', { expression: 'reason' })
  const id = requireUuid(input.bookingId, 'Booking')
  return inTransaction(async (tx) => {
    const booking = await bookingCommands.lock(tx, id)
    if (!booking) throw new AppError('not-found', 'Booking not found.')
    if (booking.status !== 'booked') throw new AppError('conflict', 'Only a booking that is still booked can be cancelled.')
    const row = await bookingCommands.cancel(tx, {
      actor: input.actor,
      bookingId: booking.id,
      reason,
      note: staffNote('Cancelled at the desk', { status: 'cancelled', reason }),
      action: 'booking.cancel',
      stale: changedMeanwhile,
    })
    if (row.referralId) {
      await referralCommands.followReceiverBookingChange(tx, {
        actor: input.actor,
        referralId: row.referralId,
        change: { kind: 'cancelled', cancelled: { id: row.id, start: row.start, end: row.end, slotId: row.slotId } },
        now,
      })
    }
    return { id: booking.id, status: 'cancelled' as const }
  })
}
