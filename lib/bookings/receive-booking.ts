import type { Bundle } from '@medplum/fhirtypes'
import { summariseBooking } from '@/lib/bars/booking'
import { samePatient } from '@/lib/bars/cancellation'
import { isUuid } from '@/lib/bars/headers'
import { buildMessageReply } from '@/lib/bars/reply'
import { senderActor } from '@/lib/audit/actor'
import { AppError } from '@/lib/errors/app-error'
import type { TWorkflowContext } from '@/lib/messages/process-message'
import { focusFullUrl, ourServiceEntryIds } from '@/lib/messages/reply-ids'
import { referralCommands } from '@/lib/referrals/referral-commands'
import { referralRepository } from '@/lib/referrals/referral-repository'
import { bookingCommands } from './booking-commands'
import { bookingRepository } from './booking-repository'

/**
 * A new booking (booking-request / new / Appointment booked): claim a place in the slot named by
 * the bundled Slot's id (atomically; 409 when it is not free), store the booking with its first
 * version, link the referral it is based on, and answer with our Appointment id and `created`.
 * The checks below give the sender a precise answer; the partial unique indexes (one current
 * booking per conversation, one per referral) decide when two requests race past them (409).
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

  const created = await bookingCommands.book(tx, {
    actor: senderActor(msg.sourceEndpoint, { requestId, correlationId }),
    serviceId: service.id,
    slotId: b.slotId.toLowerCase(),
    now,
    claim: { by: 'sender' },
    referralId,
    correlationId,
    bundleId: msg.bundleId,
    sourceEndpoint: msg.sourceEndpoint,
    useCase: b.useCase,
    patient: b.patient,
    note: { bundle: msg.bundle, messageId, summary: 'Booking received' },
    action: 'booking.receive',
  })
  const slot = created.slot
  const bookingId = created.id
  if (referralId) await referralCommands.noteBooked(tx, { referralId, serviceId: service.id })

  const apptUrl = focusFullUrl(msg.bundle, msg.focus)
  return buildMessageReply(msg.bundle, {
    byFullUrl: { ...ourServiceEntryIds(msg.bundle, service), ...(apptUrl ? { [apptUrl]: bookingId } : {}) },
    ourIds: new Set([slot.id, ...(slot.scheduleId ? [slot.scheduleId] : [])]),
    appointmentCreated: apptUrl ? { fullUrl: apptUrl, created: created.createdAt.toISOString() } : undefined,
    now: now.toISOString(),
  })
}
