import type { Bundle } from '@medplum/fhirtypes'
import { isUuid } from '@/lib/bars/headers'
import { dosIdFromEndpoint } from '@/lib/bars/identifiers'
import type { TValidationResponseContext } from '@/lib/bars/validation-responses'
import { auditRepository } from '@/lib/audit/audit-repository'
import { inTransaction, type Tx } from '@/lib/db/transaction'
import { env } from '@/lib/env'
import { AppError, isAppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { outboxRepository } from '@/lib/outbox/outbox-repository'
import { validationRepository, type TValidationRecord } from './validation-repository'

export interface TValidationActor {
  userId: string
  ip?: string
}

export type TValidationAction = 'start' | 'reject' | 'complete'

export interface TValidationStep {
  tx: Tx
  record: TValidationRecord
  response: TValidationResponseContext
  now: Date
}

export interface TValidationOutcome {
  /** The conditional UPDATE of the action; false = someone else acted first (or the requester cancelled). */
  changed: boolean
  kind: 'validation-interim-accept' | 'validation-interim-reject' | 'validation-full'
  bundle: Bundle
  detail?: Record<string, unknown>
}

const STATE_WORDS: Record<string, string> = { RECEIVED: 'waiting', IN_PROGRESS: 'in progress', REJECTED: 'rejected', COMPLETED: 'completed', CANCELLED: 'cancelled by the 999 service' }

/**
 * The skeleton of every clinician action on a validation case, in ONE transaction: the action's
 * conditional UPDATE (the rule lives in its WHERE clause), the response in the outbox (same
 * X-Correlation-Id, new X-Request-Id, to the requester's source endpoint), the audit row and the
 * live event. A refused attempt is audited too.
 */
export async function actOnValidation(
  action: TValidationAction,
  input: { validationId: string; actor: TValidationActor; now?: Date },
  step: (s: TValidationStep) => Promise<TValidationOutcome>,
): Promise<{ state: string; outboxId: string }> {
  const now = input.now ?? new Date()
  if (!isUuid(input.validationId)) throw new AppError('not-found', 'No such validation request.')
  let patientNhs: string | undefined
  try {
    return await inTransaction(async (tx) => {
      const record = await validationRepository.load(tx, input.validationId)
      if (!record) throw new AppError('not-found', 'No such validation request.')
      patientNhs = record.patientNhsNumber ?? undefined
      const response: TValidationResponseContext = {
        request: await validationRepository.currentBundle(tx, record.id),
        validation: {
          id: record.id,
          encounterId: record.encounterId,
          caseReference: record.caseReference,
          bundleId: record.bundleId,
          sourceEndpoint: record.sourceEndpoint,
          useCase: record.useCase,
          acknowledgedAt: record.receivedAt.toISOString(),
        },
        service: record.service,
        publicUrl: env().BARS_PUBLIC_URL,
        now: now.toISOString(),
        bundleId: crypto.randomUUID(),
      }
      const outcome = await step({ tx, record, response, now })
      if (!outcome.changed) {
        const fresh = await validationRepository.load(tx, record.id)
        const who = fresh?.claimedById && fresh.claimedById !== input.actor.userId ? ' by another clinician' : ''
        throw new AppError('conflict', `You cannot ${action} this validation: it is ${STATE_WORDS[fresh?.state ?? record.state]}${fresh?.state === 'IN_PROGRESS' ? who : ''}.`)
      }
      const requestId = crypto.randomUUID()
      const { id: outboxId } = await outboxRepository.enqueue(tx, {
        validationId: record.id,
        kind: outcome.kind,
        bundle: outcome.bundle,
        targetEndpoint: record.sourceEndpoint,
        targetBaseUrl: await outboxRepository.responseBaseUrl(dosIdFromEndpoint(record.sourceEndpoint), tx),
        correlationId: record.correlationId,
        requestId,
      })
      await auditRepository.record(
        {
          actorType: 'USER', actorId: input.actor.userId, action: `validation.${action}`, entityType: 'ValidationCase', entityId: record.id, patientNhs, requestId,
          correlationId: record.correlationId, outcome: 'success', ip: input.actor.ip, detail: { from: record.state, response: outcome.kind, outboxId, ...outcome.detail },
        },
        tx,
      )
      await liveEventRepository.publish(tx, 'validation.updated', record.serviceId, record.id)
      const after = await validationRepository.load(tx, record.id)
      return { state: after?.state ?? record.state, outboxId }
      // A burst of clinicians (or retries) queues for the pool rather than failing at Prisma's 2 s default.
    }, { maxWaitMs: 10_000, timeoutMs: 15_000 })
  } catch (e) {
    if (isAppError(e) && e.kind !== 'not-found') {
      await auditRepository.record({
        actorType: 'USER', actorId: input.actor.userId, action: `validation.${action}`, entityType: 'ValidationCase', entityId: input.validationId, patientNhs, outcome: e.kind, ip: input.actor.ip,
      })
    }
    throw e
  }
}
