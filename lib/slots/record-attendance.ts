/**
 * Mark a patient as arrived or as did-not-attend (Appointment.status arrived / noshow). A mistaken
 * mark can be corrected to the other one; the place stays taken either way.
 */
import { bookingCommands } from '@/lib/bookings/booking-commands'
import { inTransaction } from '@/lib/db/transaction'
import { AppError } from '@/lib/errors/app-error'
import { referralCommands } from '@/lib/referrals/referral-commands'
import { requireUuid, type TActor } from './slot-actor'

export type TAttendance = 'arrived' | 'noshow'

export async function recordAttendance(input: { bookingId: string; outcome: TAttendance; actor: TActor }) {
  const id = requireUuid(input.bookingId, 'Booking')
  return inTransaction(async (tx) => {
    const booking = await bookingCommands.lock(tx, id)
    if (!booking) throw new AppError('not-found', 'Booking not found.')
    const from = ['booked', 'arrived', 'noshow'].filter((s) => s !== input.outcome)
    if (!from.includes(booking.status)) throw new AppError('conflict', `A ${booking.status} booking cannot be marked ${input.outcome === 'arrived' ? 'arrived' : 'did not attend'}.`)
    await bookingCommands.setAttendance(tx, {
      actor: input.actor,
      bookingId: booking.id,
      from: [booking.status],
      outcome: input.outcome,
      stale: () => new AppError('stale-version', 'This booking was changed by someone else. Reload and try again.'),
    })
    // The patient is here: the linked referral's worklist state follows (the clinician's own
    // did-not-attend action, which also tells the sender, stays on the referral screen).
    if (input.outcome === 'arrived' && booking.referralId) {
      await referralCommands.noteArrived(tx, { referralId: booking.referralId, serviceId: booking.serviceId })
    }
    return { id: booking.id, status: input.outcome }
  })
}
