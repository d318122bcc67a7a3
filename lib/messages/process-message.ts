import type { Bundle } from '@medplum/fhirtypes'
import type { TNhsdHeaders } from '@/lib/bars/headers'
import { appVersionRange, versionInRange } from '@/lib/bars/service-kinds'
import { dosIdFromEndpoint } from '@/lib/bars/identifiers'
import { parseMessage, peekSourceEndpoint, type TMessage } from '@/lib/bars/message'
import { buildOperationOutcome } from '@/lib/bars/operation-outcome'
import { appointmentUseCase, classifyWorkflow, serviceRequestCategory, type TWorkflow } from '@/lib/bars/workflow'
import { inTransaction, type Tx } from '@/lib/db/transaction'
import { sqlTransaction, type SqlTx } from '@/lib/db/sql'
import type { TAuditInput } from '@/lib/audit/audit-repository'
import { auditRepository } from '@/lib/audit/audit-repository'
import { countCall, type TCallAllowance } from '@/lib/security/check-rate-limit'
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
import { messageRepository, type TClaimResult, type TMessageFacts } from './message-repository'
import { receiveResponse } from './receive-response'

export interface TProcessInput {
  service: TServiceRecord
  requestId: string
  correlationId: string
  nhsd: TNhsdHeaders
  /** Headers kept with the message for audit (decoded NHSD-*, Accept, client address). */
  auditHeaders: Record<string, unknown>
  body: unknown
  /** The body's text as received, stored verbatim; without it the parsed body is stored as JSON. */
  bodyText?: string
  now?: Date
  /** The DoS service id of the sender that authenticated directly (bearer token or client certificate), if any. */
  authenticatedSenderDosId?: string
}

export interface TWorkflowContext<T extends SqlTx = Tx> {
  tx: T
  msg: TMessage
  service: TServiceRecord
  messageId: string
  requestId: string
  correlationId: string
  now: Date
}

/** What a workflow handler returns: the reply bundle. */
export type TWorkflowHandler = (ctx: TWorkflowContext) => Promise<Bundle>

/**
 * Workflows whose every statement is prepared SQL (lib/db/sql.ts): they run in a plain pg
 * transaction, without Prisma. The new referral is most of the traffic (issue 10's hot path); the
 * others run in a Prisma transaction with exactly the same envelope around them.
 */
const SQL_HANDLERS: Partial<Record<TWorkflow, (ctx: TWorkflowContext<SqlTx>) => Promise<Bundle>>> = {
  'referral-new': receiveReferral,
}

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

/** How the route has the envelope count the call and audit it, inside the message's transaction. */
export interface TEnvelope {
  /** The caller's allowance (lib/security/check-rate-limit.ts), counted in the transaction that records the message. */
  rateLimit?: TCallAllowance
  /** The per-call audit row, written with the message when it succeeds (the route writes it otherwise). */
  callAudit?: () => TAuditInput
}

type TRun = <T>(fn: (tx: SqlTx) => Promise<T>) => Promise<T>
const prismaRun: TRun = (fn) => inTransaction((tx) => fn(tx))

/**
 * POST $process-message: validate, then in one transaction with one commit (issue 10) claim the
 * ids (idempotency), run the workflow, mark the message done, audit the call and count it against
 * the sender's rate limit. A message is either fully stored or not at all.
 *
 * A sender's mistake (4xx) is remembered, so that a retry with the same ids is given the same
 * OperationOutcome: when the validation refused it, the refusal is the transaction's only write;
 * when the workflow refused it (or a database rule did), the attempt is rolled back and the refusal
 * written in a transaction of its own. Our own failure (5xx) leaves nothing: the retry is
 * processed afresh.
 */
export async function processMessage(input: TProcessInput, envelope: TEnvelope = {}): Promise<Bundle> {
  const now = input.now ?? new Date()
  // Access control first, on what the envelope says about the source (401 is never recorded; the
  // route counts it against the rate limit on its own).
  const sourceDosId = dosIdFromEndpoint(peekSourceEndpoint(input.body))
  authoriseSender(input.service, input.nhsd, sourceDosId)
  // A directly authenticated sender may only send as itself (MessageHeader.source is where our answers go).
  // (A body with no readable source goes on to be refused as malformed: 400, not 401.)
  if (input.authenticatedSenderDosId && sourceDosId !== undefined && sourceDosId !== input.authenticatedSenderDosId) {
    throw new AppError('unauthorized', 'MessageHeader.source.endpoint is not the sending system that authenticated.')
  }

  // Validation is pure (no connection held): its refusal is remembered below like any other.
  let ready: { msg: TMessage; facts: TMessageFacts; sql?: (ctx: TWorkflowContext<SqlTx>) => Promise<Bundle>; prisma?: TWorkflowHandler } | undefined
  let refusal: AppError | undefined
  try {
    const msg = parseMessage(input.body)
    const workflow = await checkMessageFor(input.service, msg)
    const sql = input.service.kind === 'PHARMACY' ? undefined : SQL_HANDLERS[workflow]
    const handler = (input.service.kind === 'PHARMACY' ? PHARMACY_HANDLERS : HANDLERS)[workflow]
    if (!sql && !handler) throw new AppError('not-implemented', `The ${workflow} workflow is not implemented by this receiver yet.`)
    ready = { msg, facts: { bundleId: msg.bundleId, eventCode: msg.eventCode, reasonCode: msg.reasonCode, workflow }, sql, prisma: handler }
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e
    refusal = e
  }

  const claimInput = { requestId: input.requestId, correlationId: input.correlationId, serviceId: input.service.id, headers: input.auditHeaders, rawBundle: input.body, rawText: input.bodyText, parsed: ready?.facts }
  const finish = async (tx: SqlTx) => {
    if (envelope.rateLimit) await countCall(envelope.rateLimit, now, tx)
  }
  // A refusal's record and a SQL-ready workflow need no Prisma transaction.
  const run: TRun = !ready || ready.sql ? sqlTransaction : prismaRun

  let outcome: TClaimResult | { kind: 'done'; reply: Bundle }
  try {
    outcome = await run(async (tx) => {
      if (!ready) {
        const r = await messageRepository.recordRefusal(tx, claimInput, ...remembered(refusal!))
        await finish(tx)
        return r
      }
      const claim = await messageRepository.claim(tx, claimInput)
      if (claim.kind !== 'started') {
        await finish(tx)
        return claim
      }
      const ctx = { tx, msg: ready.msg, service: input.service, messageId: claim.messageId, requestId: input.requestId, correlationId: input.correlationId, now }
      const reply = ready.sql ? await ready.sql(ctx) : await ready.prisma!(ctx as TWorkflowContext)
      await messageRepository.markSucceeded(tx, claim.messageId, { ...ready.facts, status: 200 })
      if (envelope.callAudit) await auditRepository.record(envelope.callAudit(), tx)
      await finish(tx)
      return { kind: 'done' as const, reply }
    })
  } catch (e) {
    // The workflow (or one of the database's rules: the transaction turned it into its 409) refused
    // the message. Everything it wrote is rolled back; remember the refusal for the retry.
    if (!isAppError(e) || e.status >= 500 || e.kind === 'throttled') throw e
    // The refusal is counted with its record (over the allowance: 429, and nothing is kept).
    outcome = await sqlTransaction(async (tx) => {
      const r = await messageRepository.recordRefusal(tx, claimInput, ...remembered(e))
      await finish(tx)
      return r
    })
  }
  if (outcome.kind === 'done') return outcome.reply
  if (outcome.kind === 'succeeded') throw new AppError('duplicate', 'A message with this X-Request-Id and X-Correlation-Id has already been processed.')
  if (outcome.kind === 'in-flight') throw new AppError('too-early', 'A message with this X-Request-Id and X-Correlation-Id is still being processed; retry later.')
  if (outcome.kind === 'failed') throw new ReplayedFailure(outcome.status, outcome.body)
  // A refusal recorded over a stale claim of an old release: answer it.
  throw new AppError('too-early', 'A message with this X-Request-Id and X-Correlation-Id is still being processed; retry later.')
}

/** The status and OperationOutcome a refusal is answered (and remembered) with. */
function remembered(e: AppError): [number, Bundle | object] {
  const k = ERROR_KINDS[e.kind]
  return [k.status, buildOperationOutcome({ ...k, diagnostics: e.message, expression: e.expression })]
}
