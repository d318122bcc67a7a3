import { buildRebookResponse } from '@/lib/bars/responses'
import { bookingCommands } from '@/lib/bookings/booking-commands'
import { AppError, isAppError } from '@/lib/errors/app-error'
import { slotRepository } from '@/lib/slots/slot-repository'
import { performReferralAction, type TActionInput, type TActionResult } from './perform-referral-action'

/**
 * Book the patient into another arrival window: cancel the current booking and free its place,
 * book the new window (the same booking commands the desk and the sender's messages use), and
 * tell the sender both.
 */
export async function rebookReferral(input: TActionInput & { slotId: string }): Promise<TActionResult> {
  return performReferralAction('rebook', input, async ({ tx, referral, response, now }) => {
    if (referral.booking?.slotId === input.slotId) throw new AppError('conflict', 'The patient is already booked into that window; choose another.')
    const windowGone = () => new AppError('conflict', 'That arrival window is full, closed or over; choose another.')
    const slot = await slotRepository.slot(input.slotId, tx)
    if (!slot || slot.serviceId !== referral.serviceId) throw windowGone()
    const old = referral.booking
    if (old) {
      await bookingCommands.cancel(tx, {
        actor: input.actor,
        bookingId: old.id,
        reason: 'Moved to another window by the receiving service',
        note: { bundle: { source: 'staff', status: 'cancelled', toSlotId: input.slotId }, summary: 'Moved to another window by the clinician' },
        action: 'booking.rebook.cancel',
        stale: () => new AppError('stale-version', 'The booking was changed at the same moment; nothing was saved. Try again.'),
      })
    }
    const bookingId = crypto.randomUUID()
    const bundle = buildRebookResponse(response, {
      cancelled: old ? { id: old.id, start: old.start.toISOString(), end: old.end.toISOString(), slotId: old.slotId ?? undefined } : undefined,
      booked: { id: bookingId, start: slot.start.toISOString(), end: slot.end.toISOString(), slotId: slot.id },
    })
    // The place is taken by the one conditional UPDATE inside book (409 when it is gone).
    await bookingCommands.book(tx, {
      actor: input.actor,
      id: bookingId,
      serviceId: referral.serviceId,
      slotId: slot.id,
      now,
      claim: { by: 'staff' },
      referralId: referral.id,
      correlationId: referral.correlationId,
      sourceEndpoint: referral.sourceEndpoint,
      useCase: referral.useCase,
      patient: {
        nhsNumber: referral.patientNhsNumber ?? undefined,
        family: referral.patientFamily ?? undefined,
        given: referral.patientGiven ?? undefined,
        birthDate: referral.patientBirthDate ?? undefined,
        postcode: referral.patientPostcode ?? undefined,
      },
      note: { bundle, summary: 'Booked by the receiving service' },
      action: 'booking.rebook',
    }).catch((e: unknown) => {
      throw isAppError(e) && e.kind === 'conflict' ? windowGone() : e
    })
    return { kind: 'rebook', bundle, detail: { bookingId, previousBookingId: old?.id ?? null, window: { start: slot.start, end: slot.end } } }
  })
}
