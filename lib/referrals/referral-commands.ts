/**
 * The referral module's commands: with the workflow handlers of this folder
 * (receive-referral.ts, cancel-referral.ts) and the clinician actions (perform-referral-action.ts),
 * the only code that writes Referral and ReferralVersion. Other modules (bookings, the desk) call
 * these, in the transaction their use case opened, when a change of theirs concerns a referral.
 * Each writes the change (a conditional UPDATE), the audit row, the live event and — where the
 * sender must learn of it — the OutboxMessage.
 */
import type { Bundle } from '@medplum/fhirtypes'
import { dosIdFromEndpoint } from '@/lib/bars/identifiers'
import { nextState, STATE_LABELS, type TReferralState } from '@/lib/bars/referral-state'
import { buildBookingCancelledResponse, buildRebookResponse, type TResponseContext, type TResponseKind, type TWindow } from '@/lib/bars/responses'
import { auditActor, type TActor } from '@/lib/audit/actor'
import { auditRepository } from '@/lib/audit/audit-repository'
import type { Tx } from '@/lib/db/transaction'
import { env } from '@/lib/env'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { outboxRepository } from '@/lib/outbox/outbox-repository'
import { referralActionsRepository, type TReferralForAction } from './referral-actions-repository'
import { referralRepository } from './referral-repository'

/** What every response to the sender is built from (lib/bars/responses.ts). */
export function responseContext(referral: TReferralForAction, now: Date): TResponseContext {
  return {
    request: referral.bundle,
    referral: {
      id: referral.id,
      encounterId: referral.encounterId,
      caseReference: referral.caseReference,
      bundleId: referral.bundleId,
      sourceEndpoint: referral.sourceEndpoint,
      category: referral.category,
      senderName: referral.senderName,
      senderOdsCode: referral.senderOdsCode,
    },
    service: referral.service,
    publicUrl: env().BARS_PUBLIC_URL,
    now: now.toISOString(),
    bundleId: crypto.randomUUID(),
  }
}

const windowOf = (b: { id: string; start: Date; end: Date; slotId: string | null }): TWindow => ({
  id: b.id,
  start: b.start.toISOString(),
  end: b.end.toISOString(),
  slotId: b.slotId ?? undefined,
})

/** A booking change made by the receiving service that the referral (and its sender) must follow. */
export type TReceiverBookingChange =
  | { kind: 'moved'; cancelled: { id: string; start: Date; end: Date; slotId: string | null }; booked: { id: string; start: Date; end: Date; slotId: string | null } }
  | { kind: 'cancelled'; cancelled: { id: string; start: Date; end: Date; slotId: string | null } }

export const referralCommands = {
  /** Queue a response for the referral's sender (delivered by the outbox worker). */
  async tellSender(tx: Tx, referral: TReferralForAction, m: { kind: TResponseKind; bundle: Bundle }): Promise<{ outboxId: string; requestId: string }> {
    const requestId = crypto.randomUUID()
    const { id } = await outboxRepository.enqueue(tx, {
      referralId: referral.id,
      kind: m.kind,
      bundle: m.bundle,
      targetEndpoint: referral.sourceEndpoint,
      targetBaseUrl: await outboxRepository.responseBaseUrl(dosIdFromEndpoint(referral.sourceEndpoint), tx),
      correlationId: referral.correlationId,
      requestId,
    })
    return { outboxId: id, requestId }
  },

  /** A booking now holds a window for the referral (its state stays: see referralRepository.noteBooked). */
  async noteBooked(tx: Tx, r: { referralId: string; serviceId: string }) {
    await referralRepository.noteBooked(tx, r.referralId)
    await liveEventRepository.publish(tx, 'referral.updated', r.serviceId, r.referralId)
  },

  /** The booking holding the referral's window was cancelled by its sender: BOOKED → NEW. */
  async noteUnbooked(tx: Tx, r: { referralId: string; serviceId: string }) {
    await referralRepository.markUnbooked(tx, r.referralId)
    await liveEventRepository.publish(tx, 'referral.updated', r.serviceId, r.referralId)
  },

  /** Reception marked the patient arrived: NEW / ACCEPTED / BOOKED → ARRIVED. */
  async noteArrived(tx: Tx, r: { referralId: string; serviceId: string }) {
    await referralRepository.markArrived(tx, r.referralId)
    await liveEventRepository.publish(tx, 'referral.updated', r.serviceId, r.referralId)
  },

  /**
   * Reception moved or cancelled the booking of a referral: the referral and its sender learn of
   * it exactly as when the clinician rebooks (docs/responses.md "Booking changes made at the desk").
   * - moved: the state follows the clinician's `rebook` transition (→ Booked) where that is legal,
   *   and the sender gets the same rebook message (old Appointment cancelled, new one booked);
   * - cancelled: Booked → New (as when the sender cancels the booking), and the sender gets the
   *   booking-cancelled message.
   * A referral the sender has cancelled is left alone (it is closed; nothing is sent).
   */
  async followReceiverBookingChange(tx: Tx, input: { actor: TActor; referralId: string; change: TReceiverBookingChange; now: Date }): Promise<{ outboxId: string } | null> {
    const referral = await referralActionsRepository.loadForAction(tx, input.referralId)
    if (!referral || referral.fhirStatus !== 'active') return null
    const from = referral.state
    // A desk change is not a clinical review: a referral still New stays New (as for a booking the
    // sender makes), so it can never skip the clinician's New tab.
    const to: TReferralState =
      input.change.kind === 'moved' ? (from === 'NEW' ? from : (nextState(from, 'rebook', referral.fhirStatus) ?? from)) : from === 'BOOKED' ? 'NEW' : from
    if (to !== from) {
      const changed = await referralActionsRepository.transition(tx, { id: referral.id, expectedVersion: referral.version, from, to })
      if (!changed) throw new AppError('stale-version', `The referral of this booking was changed at the same moment (it is now ${STATE_LABELS[from]}); nothing was saved. Try again.`)
    } else {
      await referralRepository.noteBooked(tx, referral.id)
    }
    const ctx = responseContext(referral, input.now)
    const message =
      input.change.kind === 'moved'
        ? { kind: 'rebook' as const, bundle: buildRebookResponse(ctx, { cancelled: windowOf(input.change.cancelled), booked: windowOf(input.change.booked) }) }
        : { kind: 'booking-cancelled' as const, bundle: buildBookingCancelledResponse(ctx, windowOf(input.change.cancelled)) }
    const { outboxId, requestId } = await referralCommands.tellSender(tx, referral, message)
    await auditRepository.record(
      {
        ...auditActor(input.actor),
        action: input.change.kind === 'moved' ? 'referral.booking-moved' : 'referral.booking-cancelled',
        entityType: 'Referral',
        entityId: referral.id,
        patientNhs: referral.patientNhsNumber ?? undefined,
        requestId,
        correlationId: referral.correlationId,
        outcome: 'success',
        detail: { from, to, response: message.kind, outboxId, bookingId: input.change.cancelled.id },
      },
      tx,
    )
    await liveEventRepository.publish(tx, 'referral.updated', referral.serviceId, referral.id)
    return { outboxId }
  },
}
