import type { Bundle } from '@medplum/fhirtypes'
import { summariseBooking } from '@/lib/bars/booking'
import { isStaleUpdate, samePatient } from '@/lib/bars/cancellation'
import { isUuid } from '@/lib/bars/headers'
import { buildMessageReply } from '@/lib/bars/reply'
import { auditRepository } from '@/lib/audit/audit-repository'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { findCancelTarget, type TCascadeStep } from '@/lib/messages/find-cancel-target'
import type { TWorkflowContext } from '@/lib/messages/process-message'
import { focusFullUrl, ourServiceEntryIds } from '@/lib/messages/reply-ids'
import { referralRepository } from '@/lib/referrals/referral-repository'
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

  await bookingRepository.cancel(tx, { id: target.id, status: b.status, reason: b.cancelReason, bundle: msg.bundle, messageId, version: target.version })
  if (target.slotId) await bookingRepository.releaseSlot(tx, target.slotId, target.overbooked)

  await auditRepository.record(
    {
      actorType: 'SENDER', actorId: msg.sourceEndpoint, action: 'booking.cancel', entityType: 'Booking', entityId: target.id, patientNhs: b.patient.nhsNumber,
      requestId, correlationId, outcome: 'success', detail: { matchedBy, status: b.status, decoupledReferralId: target.referralId },
    },
    tx,
  )
  await liveEventRepository.publish(tx, 'booking.changed', service.id, target.id)
  if (target.referralId) {
    await referralRepository.markUnbooked(tx, target.referralId)
    await liveEventRepository.publish(tx, 'referral.updated', service.id, target.referralId)
  }

  const apptUrl = focusFullUrl(msg.bundle, msg.focus)
  return buildMessageReply(msg.bundle, {
    byFullUrl: { ...ourServiceEntryIds(msg.bundle, service), ...(apptUrl ? { [apptUrl]: target.id } : {}) },
    appointmentCreated: apptUrl ? { fullUrl: apptUrl, created: target.createdAt.toISOString() } : undefined,
    now: now.toISOString(),
  })
}
