import type { Bundle } from '@medplum/fhirtypes'
import { summariseBooking } from '@/lib/bars/booking'
import { isStaleUpdate, samePatient } from '@/lib/bars/cancellation'
import { isUuid } from '@/lib/bars/headers'
import { buildMessageReply } from '@/lib/bars/reply'
import { senderActor } from '@/lib/audit/actor'
import { AppError } from '@/lib/errors/app-error'
import { findCancelTarget, type TCascadeStep } from '@/lib/messages/find-cancel-target'
import type { TWorkflowContext } from '@/lib/messages/process-message'
import { focusFullUrl, ourServiceEntryIds } from '@/lib/messages/reply-ids'
import { referralCommands } from '@/lib/referrals/referral-commands'
import { bookingCommands } from './booking-commands'
import { bookingRepository, type TBookingCandidate } from './booking-repository'

/**
 * Booking cancellation (booking-request / update|delete|new / Appointment cancelled or
 * entered-in-error): find the current booking by the cascade of README.md "Finding what a cancellation cancels", cancel it (new
 * version), give its place back to the slot and decouple its referral (which stays open).
 */
export async function cancelBooking({ tx, msg, service, messageId, correlationId, requestId, now }: TWorkflowContext): Promise<Bundle> {
  const b = summariseBooking(msg)
  const steps: TCascadeStep<TBookingCandidate>[] = []
  if (b.appointmentId && isUuid(b.appointmentId)) {
    const id = b.appointmentId.toLowerCase()
    steps.push({ key: 'Appointment.id', find: () => bookingRepository.candidatesById(tx, service.id, id) })
  }
  if (msg.bundleId) {
    const bundleId = msg.bundleId
    steps.push({ key: 'Bundle.id of the booking message', find: () => bookingRepository.candidatesByBundleId(tx, service.id, bundleId) })
  }
  steps.push({
    key: 'X-Correlation-Id and patient',
    find: async () => (await bookingRepository.candidatesByCorrelation(tx, service.id, correlationId)).filter((c) => samePatient(b.patient, c) === true),
  })
  const { target, matchedBy } = await findCancelTarget('booking', steps, (c) => c.status === 'booked', 'Appointment')

  if (samePatient(b.patient, target) === false) {
    throw new AppError('invariant', 'The patient in the cancellation does not match the booking.', { expression: 'Appointment.participant' })
  }
  if (isStaleUpdate(b.lastUpdated, target.updatedAt)) {
    throw new AppError('conflict', 'The booking was changed here after the version this cancellation was made from (Appointment.meta.lastUpdated is older).', {
      expression: 'Appointment.meta.lastUpdated',
    })
  }

  // The conditional UPDATE (`WHERE status = 'booked'`) decides between concurrent cancellations: 409 for the losers.
  const cancelled = await bookingCommands.cancel(tx, {
    actor: senderActor(msg.sourceEndpoint, { requestId, correlationId }),
    bookingId: target.id,
    status: b.status === 'entered-in-error' ? 'entered-in-error' : 'cancelled',
    reason: b.cancelReason,
    decouple: true,
    note: { bundle: msg.bundle, messageId, summary: `Booking ${b.status} by the sender` },
    action: 'booking.cancel',
    detail: { matchedBy, decoupledReferralId: target.referralId },
    stale: () => new AppError('conflict', 'The booking this cancellation matches is no longer current; nothing was changed.', { expression: 'Appointment' }),
  })
  if (cancelled.previousReferralId) await referralCommands.noteUnbooked(tx, { referralId: cancelled.previousReferralId, serviceId: service.id })

  const apptUrl = focusFullUrl(msg.bundle, msg.focus)
  return buildMessageReply(msg.bundle, {
    byFullUrl: { ...ourServiceEntryIds(msg.bundle, service), ...(apptUrl ? { [apptUrl]: target.id } : {}) },
    appointmentCreated: apptUrl ? { fullUrl: apptUrl, created: target.createdAt.toISOString() } : undefined,
    now: now.toISOString(),
  })
}
