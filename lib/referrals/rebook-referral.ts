import { buildRebookResponse } from '@/lib/bars/responses'
import { AppError } from '@/lib/errors/app-error'
import { slotRepository } from '@/lib/slots/slot-repository'
import { performReferralAction, type TActionInput, type TActionResult } from './perform-referral-action'
import { referralActionsRepository } from './referral-actions-repository'

/**
 * Book the patient into another arrival window: take a place in the new window (conditional
 * UPDATE), cancel the current booking and free its place, and tell the sender both.
 */
export async function rebookReferral(input: TActionInput & { slotId: string }): Promise<TActionResult> {
  return performReferralAction('rebook', input, async ({ tx, referral, response, now }) => {
    if (referral.booking?.slotId === input.slotId) throw new AppError('conflict', 'The patient is already booked into that window; choose another.')
    const slot = await slotRepository.claim(tx, input.slotId, referral.serviceId, now)
    if (!slot) throw new AppError('conflict', 'That arrival window is full, closed or over; choose another.')
    const old = referral.booking
    if (old) {
      await referralActionsRepository.setBookingStatus(tx, old.id, 'cancelled', input.actor.userId, 'Moved to another window by the receiving service')
      if (old.slotId) await slotRepository.release(tx, old.slotId, old.overbooked)
    }
    const bookingId = crypto.randomUUID()
    const bundle = buildRebookResponse(response, {
      cancelled: old ? { id: old.id, start: old.start.toISOString(), end: old.end.toISOString(), slotId: old.slotId ?? undefined } : undefined,
      booked: { id: bookingId, start: slot.start.toISOString(), end: slot.end.toISOString(), slotId: slot.id },
    })
    await referralActionsRepository.createBooking(tx, { id: bookingId, referral, slot, byId: input.actor.userId, bundle })
    return { kind: 'rebook', bundle, detail: { bookingId, previousBookingId: old?.id ?? null, window: { start: slot.start, end: slot.end } } }
  })
}
