import type { Appointment, ServiceRequest } from '@medplum/fhirtypes'
import { AppError } from '@/lib/errors/app-error'
import { SYSTEMS } from './identifiers'
import type { TMessage } from './message'

export type TWorkflow =
  | 'referral-new'
  | 'referral-cancel'
  | 'validation-new'
  | 'validation-update'
  | 'validation-cancel'
  | 'booking-new'
  | 'booking-cancel'
  | 'response'

const CANCELLED_SR = new Set(['revoked', 'entered-in-error'])
const CANCELLED_APPOINTMENT = new Set(['cancelled', 'entered-in-error'])
// Cancellations arrive as reason `update` (prose), `delete` (payload tables) or even `new` (BOOKREQ02);
// the focus status decides (open question B1).
const CANCEL_REASONS = new Set(['update', 'delete', 'new'])

/** ServiceRequest.category: `referral` / `validation` and the use-case code (lower-cased, B12). */
export function serviceRequestCategory(sr: ServiceRequest): { category?: string; useCase?: string } {
  const codings = (sr.category ?? []).flatMap((c) => c.coding ?? [])
  const category = codings.find((c) => c.system === SYSTEMS.serviceRequestCategory)?.code
  const useCase = codings.find((c) => /usecases?-categories-bars$/i.test(c.system ?? ''))?.code
  return { category: category?.toLowerCase(), useCase: useCase?.toLowerCase() }
}

export function appointmentUseCase(appt: Appointment): string | undefined {
  const codings = (appt.serviceCategory ?? []).flatMap((c) => c.coding ?? [])
  return codings.find((c) => /usecases?-categories-bars$/i.test(c.system ?? ''))?.code?.toLowerCase()
}

function unknownWorkflow(detail: string): AppError {
  return new AppError('invariant', `A combination of workflow variables has led to a non-standard or unknown workflow: ${detail}.`, {
    expression: 'MessageHeader',
  })
}

/** Classify a message by event, reason, focus status and category (spec §4.3). */
export function classifyWorkflow(msg: TMessage): TWorkflow {
  const { eventCode, reasonCode, focus } = msg
  const reason = reasonCode ?? ''
  if (eventCode === 'servicerequest-request') {
    if (focus.resourceType !== 'ServiceRequest') throw unknownWorkflow('servicerequest-request must focus a ServiceRequest')
    const { category, useCase } = serviceRequestCategory(focus)
    const status = focus.status ?? ''
    if (category !== 'referral' && category !== 'validation') {
      throw new AppError('invariant', 'ServiceRequest.category must say "referral" or "validation".', { expression: 'ServiceRequest.category' })
    }
    // Without the use case the service's use-case check cannot run, and a workflow the service
    // does not serve would end as 501 instead of the sender's mistake it is (found by fuzzing).
    if (!useCase) {
      throw new AppError('invariant', 'ServiceRequest.category has no use-case code (usecases-categories-bars).', { expression: 'ServiceRequest.category' })
    }
    // Validation is BaRS Application 4 (use cases a4t…); a validation category with another
    // application's use case is a contradiction in the message, not a workflow to route.
    if (category === 'validation' && !/^a4t\d+$/.test(useCase)) {
      throw new AppError('invariant', `ServiceRequest.category says validation but use case ${useCase.slice(0, 20)} is not an Application 4 (validation) use case.`, {
        expression: 'ServiceRequest.category',
      })
    }
    if (CANCELLED_SR.has(status) && CANCEL_REASONS.has(reason)) return category === 'referral' ? 'referral-cancel' : 'validation-cancel'
    if (reason === 'new' && status === 'active') return category === 'referral' ? 'referral-new' : 'validation-new'
    if (reason === 'update' && category === 'validation' && (status === 'active' || status === 'on-hold')) return 'validation-update'
    throw unknownWorkflow(`${eventCode} / ${reason || 'no reason'} / ServiceRequest ${status || 'no status'} / ${category}`)
  }
  if (eventCode === 'booking-request') {
    if (focus.resourceType !== 'Appointment') throw unknownWorkflow('booking-request must focus an Appointment')
    const status = focus.status ?? ''
    if (CANCELLED_APPOINTMENT.has(status) && CANCEL_REASONS.has(reason)) return 'booking-cancel'
    if (reason === 'new' && status === 'booked') return 'booking-new'
    throw unknownWorkflow(`${eventCode} / ${reason || 'no reason'} / Appointment ${status || 'no status'}`)
  }
  if (eventCode === 'servicerequest-response') {
    if (reason === 'new' || reason === 'update') return 'response'
    throw unknownWorkflow(`${eventCode} / ${reason || 'no reason'}`)
  }
  throw unknownWorkflow(`event ${eventCode}`)
}
