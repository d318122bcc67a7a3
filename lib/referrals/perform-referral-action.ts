import type { Bundle } from '@medplum/fhirtypes'
import { nextState, STATE_LABELS, ACTION_LABELS, type TReferralAction } from '@/lib/bars/referral-state'
import type { TResponseContext, TResponseKind } from '@/lib/bars/responses'
import { auditActor, type TStaffActor } from '@/lib/audit/actor'
import { auditRepository } from '@/lib/audit/audit-repository'
import { inTransaction, type Tx } from '@/lib/db/transaction'
import { AppError, isAppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { referralActionsRepository, type TReferralForAction } from './referral-actions-repository'
import { referralCommands, responseContext } from './referral-commands'

/** The clinician: the staff actor of lib/audit/actor.ts (`staffActor(user, ip)`). */
export type TActor = TStaffActor

export interface TActionInput {
  referralId: string
  /** Referral.version the clinician saw. */
  version: number
  actor: TActor
  now?: Date
}

export interface TActionResult {
  state: string
  version: number
  outboxId: string
}

export interface TActionStep {
  tx: Tx
  referral: TReferralForAction
  response: TResponseContext
  now: Date
}

/** What an action does beyond the state change: the response it owes the sender and its audit detail. */
export interface TActionOutcome {
  kind: TResponseKind
  bundle: Bundle
  decision?: { code: string | null; text: string | null }
  detail?: Record<string, unknown>
}

/**
 * The skeleton every clinician action shares, in ONE transaction (opened here, the entry point): legal transition check (pure
 * state machine), the action's own work, the optimistic-concurrency guarded state change, the
 * response message in the outbox, the audit row and the live event. Anything failing rolls back
 * everything; a refused attempt is audited too.
 */
export async function performReferralAction(
  action: TReferralAction,
  input: TActionInput,
  step: (s: TActionStep) => Promise<TActionOutcome>,
): Promise<TActionResult> {
  const now = input.now ?? new Date()
  let patientNhs: string | undefined
  try {
    return await inTransaction(async (tx) => {
      const referral = await referralActionsRepository.loadForAction(tx, input.referralId)
      if (!referral) throw new AppError('not-found', 'No such referral.')
      patientNhs = referral.patientNhsNumber ?? undefined
      if (referral.version !== input.version) {
        throw new AppError('stale-version', `Someone else changed this referral while you had it open: it is now ${STATE_LABELS[referral.state]}.`)
      }
      const to = nextState(referral.state, action, referral.fhirStatus)
      if (!to) {
        const why = referral.fhirStatus !== 'active' ? 'the sender has cancelled it' : `it is ${STATE_LABELS[referral.state]}`
        throw new AppError('conflict', `You cannot ${ACTION_LABELS[action].toLowerCase()} this referral: ${why}.`)
      }
      const response = responseContext(referral, now)
      const outcome = await step({ tx, referral, response, now })

      const changed = await referralActionsRepository.transition(tx, {
        id: referral.id,
        expectedVersion: input.version,
        from: referral.state,
        to,
        decision: outcome.decision ? { ...outcome.decision, byId: input.actor.id, at: now } : undefined,
      })
      if (!changed) throw new AppError('stale-version', 'Someone else changed this referral at the same moment; nothing you did was saved twice.')

      const { outboxId, requestId } = await referralCommands.tellSender(tx, referral, { kind: outcome.kind, bundle: outcome.bundle })
      await auditRepository.record(
        {
          ...auditActor(input.actor),
          action: `referral.${action}`,
          entityType: 'Referral',
          entityId: referral.id,
          patientNhs,
          requestId,
          correlationId: referral.correlationId,
          outcome: 'success',
          detail: { from: referral.state, to, response: outcome.kind, outboxId, ...outcome.detail },
        },
        tx,
      )
      await liveEventRepository.publish(tx, 'referral.updated', referral.serviceId, referral.id)
      return { state: to, version: input.version + 1, outboxId }
    })
  } catch (e) {
    if (isAppError(e) && e.kind !== 'not-found') {
      await auditRepository.record({
        ...auditActor(input.actor),
        action: `referral.${action}`,
        entityType: 'Referral',
        entityId: input.referralId,
        patientNhs,
        outcome: e.kind,
        detail: { seenVersion: input.version },
      })
    }
    throw e
  }
}
