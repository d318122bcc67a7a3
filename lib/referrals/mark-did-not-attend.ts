import { buildDnaFeedback, missedWindow } from '@/lib/bars/responses'
import { bookingCommands } from '@/lib/bookings/booking-commands'
import { AppError } from '@/lib/errors/app-error'
import { performReferralAction, type TActionInput, type TActionResult } from './perform-referral-action'

/**
 * The patient did not attend: the booking (if any) becomes a no-show and the sender gets DNA
 * feedback — for a safeguarding-flagged patient this is the App 1 safeguarding DNA feedback.
 */
export async function markDidNotAttend(input: TActionInput): Promise<TActionResult> {
  return performReferralAction('dna', input, async ({ tx, referral, response, now }) => {
    const b = referral.booking
    if (b) {
      await bookingCommands.setAttendance(tx, {
        actor: input.actor,
        bookingId: b.id,
        from: ['booked'],
        outcome: 'noshow',
        action: 'booking.noshow',
        stale: () => new AppError('stale-version', 'The booking was changed at the same moment; nothing was saved. Try again.'),
      })
    }
    const window = missedWindow(
      referral.bundle,
      b ? { id: b.id, start: b.start.toISOString(), end: b.end.toISOString(), slotId: b.slotId ?? undefined } : undefined,
      { start: referral.receivedAt.toISOString(), end: (referral.deadline && referral.deadline > referral.receivedAt ? referral.deadline : now).toISOString() },
    )
    return {
      kind: referral.safeguarding ? 'dna-safeguarding-feedback' : 'dna-feedback',
      bundle: buildDnaFeedback(response, window),
      detail: { safeguarding: referral.safeguarding, bookingId: b?.id ?? null },
    }
  })
}
