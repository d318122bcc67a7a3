/**
 * Move a booked patient to another window of the same service: claim the new place (conditional
 * UPDATE, or an audited overbook with permission and reason), give the old one back, in one
 * transaction; refused with 409 if the booking changed meanwhile.
 */
import { can } from '@/lib/auth/permissions'
import { AppError } from '@/lib/errors/app-error'
import { claimPlace, recordDeskChange, requireUuid, type TActor } from './slot-actor'
import { slotRepository } from './slot-repository'

export async function moveBooking(input: { bookingId: string; toSlotId: string; overbookReason?: string; actor: TActor; now?: Date }) {
  const now = input.now ?? new Date()
  const booking = await slotRepository.booking(requireUuid(input.bookingId, 'Booking'))
  if (!booking) throw new AppError('not-found', 'Booking not found.')
  if (booking.status !== 'booked') throw new AppError('conflict', 'Only a booking that is still booked can be moved.')
  const target = await slotRepository.slot(requireUuid(input.toSlotId, 'Arrival window'))
  if (!target || target.serviceId !== booking.serviceId) throw new AppError('not-found', 'Arrival window not found for this service.')
  if (target.id === booking.slotId) throw new AppError('invalid', 'The booking is already in this window.')
  const reason = input.overbookReason?.trim()
  if (reason && !can(input.actor.roles, 'bookings:overbook')) throw new AppError('forbidden', 'You do not have permission to book beyond capacity.')

  return slotRepository.transaction(async (tx) => {
    const { claimed, overbooked } = await claimPlace(tx, target, now, reason)
    const moved = await slotRepository.updateBookingIf(
      tx,
      booking.id,
      { statuses: ['booked'], slotId: booking.slotId ?? undefined },
      { slotId: claimed.id, start: claimed.start, end: claimed.end, overbooked, overbookReason: overbooked ? reason! : null, userId: input.actor.id },
    )
    if (!moved) throw new AppError('stale-version', 'This booking was changed by someone else. Reload and try again.')
    if (booking.slotId) await slotRepository.release(tx, booking.slotId, booking.overbooked)
    await recordDeskChange(tx, input.actor, {
      action: overbooked ? 'booking.move.overbook' : 'booking.move',
      serviceId: booking.serviceId,
      bookingId: booking.id,
      slotId: claimed.id,
      patientNhs: booking.patientNhsNumber,
      detail: { fromSlotId: booking.slotId, ...(overbooked ? { reason } : {}) },
    })
    return { id: booking.id, slotId: claimed.id, overbooked }
  })
}
