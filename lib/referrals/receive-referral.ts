import type { Bundle } from '@medplum/fhirtypes'
import { samePatient } from '@/lib/bars/cancellation'
import { referralDeadline } from '@/lib/bars/deadline'
import { summariseReferral } from '@/lib/bars/referral'
import { buildMessageReply } from '@/lib/bars/reply'
import { auditRepository } from '@/lib/audit/audit-repository'
import { senderActor } from '@/lib/audit/actor'
import { bookingCommands } from '@/lib/bookings/booking-commands'
import { bookingRepository } from '@/lib/bookings/booking-repository'
import type { SqlTx } from '@/lib/db/sql'
import { env } from '@/lib/env'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import type { TWorkflowContext } from '@/lib/messages/process-message'
import { ourServiceEntryIds } from '@/lib/messages/reply-ids'
import { referralRepository } from './referral-repository'

/**
 * A new referral (servicerequest-request / new / ServiceRequest active / referral): store it with
 * its first version, link the booking it names, and answer with our ids and planned Encounter.
 * Every statement is prepared SQL (`SqlTx`): this is the hot path of issue 10.
 */
export async function receiveReferral({ tx, msg, service, messageId, correlationId, requestId, now }: TWorkflowContext<SqlTx>): Promise<Bundle> {
  const summary = summariseReferral(msg, now)
  // (triage, issue 11) Every open referral gets a deadline: the sender's occurrencePeriod.end, else
  // one derived from the Pathways disposition's timeframe from Bundle.timestamp (lib/bars/deadline.ts).
  const due = referralDeadline({
    explicit: summary.deadline,
    dispositionCode: summary.dispositionCode,
    dispositionDisplay: summary.dispositionDisplay,
    sentAt: msg.bundle.timestamp,
    receivedAt: now,
  })

  // One active referral per conversation: the partial unique index "Referral_one_active_per_conversation"
  // decides (lib/db/constraint-errors.ts turns it into the 409 a sender is told), with no look-up first.

  const referralId = crypto.randomUUID()
  if (summary.linkedAppointmentId) {
    const booking = await bookingRepository.findForService(tx, service.id, summary.linkedAppointmentId)
    if (!booking || booking.status !== 'booked') {
      throw new AppError('invariant', 'ServiceRequest.supportingInfo names an Appointment that is not a current booking at this service.', {
        expression: 'ServiceRequest.supportingInfo',
      })
    }
    if (samePatient(summary.patient, booking) === false) {
      throw new AppError('conflict', 'The Appointment named in ServiceRequest.supportingInfo is for a different patient.', {
        expression: 'ServiceRequest.supportingInfo',
      })
    }
    if (booking.referralId && booking.referral?.fhirStatus === 'active') {
      throw new AppError('conflict', 'The Appointment named in ServiceRequest.supportingInfo is already linked to another active referral.', {
        expression: 'ServiceRequest.supportingInfo',
      })
    }
  }

  const srEntry = msg.bundle.entry!.find((e) => e.resource === msg.focus)!
  const encounterId = crypto.randomUUID()
  const created = await referralRepository.create(tx, {
    id: referralId,
    encounterId,
    serviceId: service.id,
    correlationId,
    bundleId: msg.bundleId ?? '',
    sourceEndpoint: msg.sourceEndpoint ?? '',
    summary,
    due,
    messageId,
    receivedAt: now,
    casePrefix: env().BARS_CASE_PREFIX,
  })
  if (summary.linkedAppointmentId) {
    // Conditional: only a booking still booked and unlinked (409 when another referral took it first).
    await bookingCommands.linkReferral(tx, {
      actor: senderActor(msg.sourceEndpoint, { requestId, correlationId }),
      bookingId: summary.linkedAppointmentId,
      referralId,
      note: { bundle: msg.bundle, messageId, summary: 'Linked to the referral that names it' },
    })
    await referralRepository.noteBooked(tx, referralId)
  }

  await auditRepository.record(
    { actorType: 'SENDER', actorId: msg.sourceEndpoint, action: 'referral.receive', entityType: 'Referral', entityId: referralId, patientNhs: summary.patient.nhsNumber, requestId, correlationId, outcome: 'success' },
    tx,
  )
  await liveEventRepository.publish(tx, 'referral.received', service.id, referralId)

  const patientEntry = msg.bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')
  return buildMessageReply(msg.bundle, {
    byFullUrl: { ...ourServiceEntryIds(msg.bundle, service), ...(srEntry.fullUrl ? { [srEntry.fullUrl]: referralId } : {}) },
    plannedEncounter: {
      id: encounterId,
      caseReference: created.caseReference,
      identifierSystem: `${env().BARS_PUBLIC_URL.replace(/\/$/, '')}/Id/case-number`,
      patientRef: patientEntry?.fullUrl,
      serviceRequestRef: srEntry.fullUrl,
    },
    now: now.toISOString(),
  })
}
