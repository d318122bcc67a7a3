/**
 * Mark a patient as arrived or as did-not-attend (Appointment.status arrived / noshow). A mistaken
 * mark can be corrected to the other one; the place stays taken either way.
 */
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { referralRepository } from '@/lib/referrals/referral-repository'
import { recordDeskChange, requireUuid, type TActor } from './slot-actor'
import { slotRepository } from './slot-repository'

export type TAttendance = 'arrived' | 'noshow'

export async function recordAttendance(input: { bookingId: string; outcome: TAttendance; actor: TActor }) {
  const booking = await slotRepository.booking(requireUuid(input.bookingId, 'Booking'))
  if (!booking) throw new AppError('not-found', 'Booking not found.')
  const from = ['booked', 'arrived', 'noshow'].filter((s) => s !== input.outcome)
  if (!from.includes(booking.status)) throw new AppError('conflict', `A ${booking.status} booking cannot be marked ${input.outcome === 'arrived' ? 'arrived' : 'did not attend'}.`)
  return slotRepository.transaction(async (tx) => {
    const done = await slotRepository.updateBookingIf(tx, booking.id, { statuses: [booking.status] }, { status: input.outcome, userId: input.actor.id })
    if (!done) throw new AppError('stale-version', 'This booking was changed by someone else. Reload and try again.')
    await recordDeskChange(tx, input.actor, {
      action: input.outcome === 'arrived' ? 'booking.arrived' : 'booking.noshow',
      serviceId: booking.serviceId,
      bookingId: booking.id,
      slotId: booking.slotId ?? undefined,
      patientNhs: booking.patientNhsNumber,
      detail: { previous: booking.status },
    })
    // The patient is here: the linked referral's worklist state follows (the clinician's own
    // did-not-attend action, which also tells the sender, stays on the referral screen).
    if (input.outcome === 'arrived' && booking.referralId) {
      await referralRepository.markArrived(tx, booking.referralId)
      await liveEventRepository.publish(tx, 'referral.updated', booking.serviceId, booking.referralId)
    }
    return { id: booking.id, status: input.outcome }
  })
}
