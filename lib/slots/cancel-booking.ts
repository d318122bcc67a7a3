/** Cancel a booking at the desk, with a reason; its place goes back to the window. */
import { AppError } from '@/lib/errors/app-error'
import { recordDeskChange, requireUuid, type TActor } from './slot-actor'
import { slotRepository } from './slot-repository'

export async function cancelBooking(input: { bookingId: string; reason: string; actor: TActor }) {
  const reason = input.reason.trim()
  if (!reason) throw new AppError('required', 'Enter a reason for cancelling.', { expression: 'reason' })
  const booking = await slotRepository.booking(requireUuid(input.bookingId, 'Booking'))
  if (!booking) throw new AppError('not-found', 'Booking not found.')
  if (booking.status !== 'booked') throw new AppError('conflict', 'Only a booking that is still booked can be cancelled.')
  return slotRepository.transaction(async (tx) => {
    const done = await slotRepository.updateBookingIf(tx, booking.id, { statuses: ['booked'] }, { status: 'cancelled', cancelReason: reason, userId: input.actor.id })
    if (!done) throw new AppError('stale-version', 'This booking was changed by someone else. Reload and try again.')
    if (booking.slotId) await slotRepository.release(tx, booking.slotId, booking.overbooked)
    await recordDeskChange(tx, input.actor, {
      action: 'booking.cancel',
      serviceId: booking.serviceId,
      bookingId: booking.id,
      slotId: booking.slotId ?? undefined,
      patientNhs: booking.patientNhsNumber,
      detail: { reason },
    })
    return { id: booking.id, status: 'cancelled' as const }
  })
}
