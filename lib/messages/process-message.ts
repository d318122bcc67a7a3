import type { Bundle } from '@medplum/fhirtypes'
import type { TNhsdHeaders } from '@/lib/bars/headers'
import { appVersionRange, versionInRange } from '@/lib/bars/service-kinds'
import { dosIdFromEndpoint } from '@/lib/bars/identifiers'
import { parseMessage, peekSourceEndpoint, type TMessage } from '@/lib/bars/message'
import { buildOperationOutcome } from '@/lib/bars/operation-outcome'
import { appointmentUseCase, classifyWorkflow, serviceRequestCategory, type TWorkflow } from '@/lib/bars/workflow'
import { inTransaction, type Tx } from '@/lib/db/transaction'
import { env } from '@/lib/env'
import { AppError, ERROR_KINDS, isAppError, ReplayedFailure } from '@/lib/errors/app-error'
import { checkConformance, definitionFor } from '@/lib/bars/message-definitions'
import { cancelBooking } from '@/lib/bookings/cancel-booking'
import { receiveBooking } from '@/lib/bookings/receive-booking'
import { receivePharmacyReferral } from '@/lib/pharmacy/receive-pharmacy-referral'
import { cancelReferral } from '@/lib/referrals/cancel-referral'
import { receiveReferral } from '@/lib/referrals/receive-referral'
import { cancelValidation } from '@/lib/validations/cancel-validation'
import { receiveValidation } from '@/lib/validations/receive-validation'
import { updateValidation } from '@/lib/validations/update-validation'
import { authoriseSender } from '@/lib/services/resolve-target-service'
import { serviceRepository, type TServiceRecord } from '@/lib/services/service-repository'
import { messageRepository } from './message-repository'
import { receiveResponse } from './receive-response'

export interface TProcessInput {
  service: TServiceRecord
  requestId: string
  correlationId: string
  nhsd: TNhsdHeaders
  /** Headers kept with the message for audit (decoded NHSD-*, Accept, client address). */
  auditHeaders: Record<string, unknown>
  body: unknown
  now?: Date
  /** The DoS service id of the sender that authenticated directly (bearer token or client certificate), if any. */
  authenticatedSenderDosId?: string
}

export interface TWorkflowContext {
  tx: Tx
  msg: TMessage
  service: TServiceRecord
  messageId: string
  requestId: string
  correlationId: string
  now: Date
}

/** What a workflow handler returns: the reply bundle. */
export type TWorkflowHandler = (ctx: TWorkflowContext) => Promise<Bundle>

const HANDLERS: Partial<Record<TWorkflow, TWorkflowHandler>> = {
  'referral-new': receiveReferral,
  'referral-cancel': cancelReferral,
  'booking-new': receiveBooking,
  'booking-cancel': cancelBooking,
  response: receiveResponse,
  // App 4 (lib/validations)
  'validation-new': receiveValidation,
  'validation-update': updateValidation,
  'validation-cancel': cancelValidation,
}

/**
 * A community pharmacy (App 5) stores what the pharmacist must see beside the referral. Its cancel is
 * the referral module's as is; App 5 has no updates (A5.4, Q22), which classifyWorkflow refuses.
 */
const PHARMACY_HANDLERS: Partial<Record<TWorkflow, TWorkflowHandler>> = { ...HANDLERS, 'referral-new': receivePharmacyReferral }

function focusUseCase(msg: TMessage): string | undefined {
  if (msg.focus.resourceType === 'ServiceRequest') return serviceRequestCategory(msg.focus).useCase
  if (msg.focus.resourceType === 'Appointment') return appointmentUseCase(msg.focus)
  return undefined
}

/**
 * Checks every message passes before its workflow runs (spec §11.5), in the order the spec gives:
 * Application version (422) → destination is a service we run (404) and the one targeted (400) →
 * conformance to the MessageDefinition it names, else to its workflow's (400 invariant) → use case
 * supported by the service (422) → a known workflow (400 invariant).
 */
async function checkMessageFor(service: TServiceRecord, msg: TMessage): Promise<TWorkflow> {
  // The version range is the one of the message's Application (its use case), per service kind.
  const range = appVersionRange(service, focusUseCase(msg))
  if (!versionInRange(msg.appVersion, range)) {
    throw new AppError('not-supported', `Application version ${msg.appVersion} is not supported by this service for Application ${range.application} (supported ${range.min} to ${range.max}).`, {
      expression: 'Bundle.meta.versionId',
    })
  }
  const destination = dosIdFromEndpoint(`${msg.destinationEndpoint.system ?? ''}|${msg.destinationEndpoint.value}`)
  if (destination !== service.dosServiceId) {
    const other = destination ? await serviceRepository.findByDosId(destination) : null
    if (!other?.active) {
      throw new AppError('not-found', 'MessageHeader.destination.endpoint names a service this receiver does not run.', { expression: 'MessageHeader.destination[0].endpoint' })
    }
    throw new AppError('invariant', 'MessageHeader.destination.endpoint does not match NHSD-Target-Identifier.', { expression: 'MessageHeader.destination[0].endpoint' })
  }
  let workflow: TWorkflow | undefined
  let unknown: unknown
  try {
    workflow = classifyWorkflow(msg)
  } catch (e) {
    unknown = e
  }
  const definition = definitionFor(msg.definition, workflow)
  if (definition) checkConformance(msg, definition)
  const useCase = focusUseCase(msg)
  if (useCase && !service.useCases.includes(useCase)) {
    throw new AppError('not-supported', `Use case ${useCase} is not supported by this service.`, {
      expression: msg.focus.resourceType === 'Appointment' ? 'Appointment.serviceCategory' : 'ServiceRequest.category',
    })
  }
  if (!workflow) throw unknown
  return workflow
}

/**
 * POST $process-message: record the message (idempotency), validate, run its workflow and store
 * everything in one transaction, and return the synchronous reply. A message is either fully
 * stored or not at all.
 */
export async function processMessage(input: TProcessInput): Promise<Bundle> {
  const now = input.now ?? new Date()
  // Access control first, on what the envelope says about the source (401 is never recorded).
  const sourceDosId = dosIdFromEndpoint(peekSourceEndpoint(input.body))
  authoriseSender(input.service, input.nhsd, sourceDosId)
  // A directly authenticated sender may only send as itself (MessageHeader.source is where our answers go).
  // (A body with no readable source goes on to be refused as malformed: 400, not 401.)
  if (input.authenticatedSenderDosId && sourceDosId !== undefined && sourceDosId !== input.authenticatedSenderDosId) {
    throw new AppError('unauthorized', 'MessageHeader.source.endpoint is not the sending system that authenticated.')
  }

  const begun = await messageRepository.begin({
    requestId: input.requestId,
    correlationId: input.correlationId,
    serviceId: input.service.id,
    headers: input.auditHeaders,
    rawBundle: input.body,
    leaseSeconds: env().BARS_PROCESSING_LEASE_SECONDS,
  })
  if (begun.kind === 'succeeded') throw new AppError('duplicate', 'A message with this X-Request-Id and X-Correlation-Id has already been processed.')
  if (begun.kind === 'in-flight') throw new AppError('too-early', 'A message with this X-Request-Id and X-Correlation-Id is still being processed; retry later.')
  if (begun.kind === 'failed') throw new ReplayedFailure(begun.status, begun.body)

  const messageId = begun.messageId
  try {
    const msg = parseMessage(input.body)
    const workflow = await checkMessageFor(input.service, msg)
    const handler = (input.service.kind === 'PHARMACY' ? PHARMACY_HANDLERS : HANDLERS)[workflow]
    if (!handler) throw new AppError('not-implemented', `The ${workflow} workflow is not implemented by this receiver yet.`)
    // The one transaction of this entry point. A broken database rule (two requests racing past
    // the workflow's checks) aborts it; inTransaction turns the violation into its 409 AppError,
    // which is remembered below like any other refusal.
    return await inTransaction(async (tx) => {
      const reply = await handler({ tx, msg, service: input.service, messageId, requestId: input.requestId, correlationId: input.correlationId, now })
      await messageRepository.markSucceeded(tx, messageId, { bundleId: msg.bundleId, eventCode: msg.eventCode, reasonCode: msg.reasonCode, workflow, status: 200 })
      return reply
    })
  } catch (e) {
    if (isAppError(e) && e.status < 500) {
      // Remember the exact answer, so that a retry is given the same OperationOutcome.
      const k = ERROR_KINDS[e.kind]
      const outcome = buildOperationOutcome({ ...k, diagnostics: e.message, expression: e.expression })
      await messageRepository.markFailed(messageId, k.status, outcome)
      throw new ReplayedFailure(k.status, outcome)
    }
    await messageRepository.release(messageId)
    throw e
  }
}
