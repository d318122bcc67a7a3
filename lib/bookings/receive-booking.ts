import type { Bundle } from '@medplum/fhirtypes'
import { summariseBooking } from '@/lib/bars/booking'
import { samePatient } from '@/lib/bars/cancellation'
import { isUuid } from '@/lib/bars/headers'
import { buildMessageReply } from '@/lib/bars/reply'
import { auditRepository } from '@/lib/audit/audit-repository'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import type { TWorkflowContext } from '@/lib/messages/process-message'
import { focusFullUrl, ourServiceEntryIds } from '@/lib/messages/reply-ids'
import { referralRepository } from '@/lib/referrals/referral-repository'
import { bookingRepository } from './booking-repository'

/**
 * A new booking (booking-request / new / Appointment booked): claim a place in the slot named by
 * the bundled Slot's id (atomically; 409 when it is not free), store the booking with its first
 * version, link the referral it is based on, and answer with our Appointment id and `created`.
 */
export async function receiveBooking({ tx, msg, service, messageId, correlationId, requestId, now }: TWorkflowContext): Promise<Bundle> {
  const b = summariseBooking(msg)
  if (!b.slotId) {
    throw new AppError('invariant', 'Appointment.slot must reference the Slot from GET /Slot, carrying our Slot id.', { expression: 'Appointment.slot' })
  }
  if (!isUuid(b.slotId) || !(await bookingRepository.findSlot(tx, b.slotId.toLowerCase(), service.id))) {
    throw new AppError('invariant', 'Appointment.slot names no slot of this service.', { expression: 'Slot.id' })
  }
  if (await bookingRepository.findBookedForCorrelation(tx, service.id, correlationId)) {
    throw new AppError('conflict', 'A current booking already exists for this X-Correlation-Id; cancel it before booking again (rebook = cancel, then book).', {
      expression: 'Appointment',
    })
  }

  let referralId: string | undefined
  if (b.linkedServiceRequestId) {
    const referral = isUuid(b.linkedServiceRequestId) ? await referralRepository.findForService(tx, service.id, b.linkedServiceRequestId.toLowerCase()) : null
    if (!referral || referral.fhirStatus !== 'active') {
      throw new AppError('invariant', 'Appointment.basedOn names a ServiceRequest that is not an active referral at this service.', { expression: 'Appointment.basedOn' })
    }
    if ((await bookingRepository.findBookedForReferral(tx, referral.id)).length > 0) {
      throw new AppError('conflict', 'The referral named in Appointment.basedOn already has a current booking.', { expression: 'Appointment.basedOn' })
    }
    if (samePatient(b.patient, referral) === false) {
      throw new AppError('conflict', 'The referral named in Appointment.basedOn is for a different patient.', { expression: 'Appointment.basedOn' })
    }
    referralId = referral.id
  }

  const slot = await bookingRepository.claimSlot(tx, b.slotId.toLowerCase(), service.id)
  const bookingId = crypto.randomUUID()
  const created = await bookingRepository.create(tx, {
    id: bookingId,
    serviceId: service.id,
    slot,
    referralId,
    correlationId,
    bundleId: msg.bundleId,
    sourceEndpoint: msg.sourceEndpoint,
    useCase: b.useCase,
    patient: b.patient,
    bundle: msg.bundle,
    messageId,
  })

  await auditRepository.record(
    {
      actorType: 'SENDER', actorId: msg.sourceEndpoint, action: 'booking.receive', entityType: 'Booking', entityId: bookingId, patientNhs: b.patient.nhsNumber,
      requestId, correlationId, outcome: 'success', detail: { slotId: slot.id, referralId },
    },
    tx,
  )
  await liveEventRepository.publish(tx, 'booking.changed', service.id, bookingId)
  if (referralId) {
    await referralRepository.noteBooked(tx, referralId)
    await liveEventRepository.publish(tx, 'referral.updated', service.id, referralId)
  }

  const apptUrl = focusFullUrl(msg.bundle, msg.focus)
  return buildMessageReply(msg.bundle, {
    byFullUrl: { ...ourServiceEntryIds(msg.bundle, service), ...(apptUrl ? { [apptUrl]: bookingId } : {}) },
    ourIds: new Set([slot.id, ...(slot.scheduleId ? [slot.scheduleId] : [])]),
    appointmentCreated: apptUrl ? { fullUrl: apptUrl, created: created.createdAt.toISOString() } : undefined,
    now: now.toISOString(),
  })
}
