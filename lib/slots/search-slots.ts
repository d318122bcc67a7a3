/**
 * GET /fhir/Slot: read the query (lib/bars/slot-search), find the service (404), check the sender
 * may ask (401), refuse windows wider than Service.maxSlotWindowHours (422 too-costly), and answer
 * the genuinely bookable windows as a searchset.
 */
import type { Bundle } from '@medplum/fhirtypes'
import { decodeTargetIdentifier, type TNhsdHeaders } from '@/lib/bars/headers'
import { buildSlotSearchset, parseSlotQuery } from '@/lib/bars/slot-search'
import { AppError } from '@/lib/errors/app-error'
import { authoriseSender } from '@/lib/services/resolve-target-service'
import { slotRepository } from './slot-repository'

export interface TSearchSlotsInput {
  params: URLSearchParams
  targetHeader: string | null
  nhsd: TNhsdHeaders
  /** DoS id of a sender that authenticated directly: it must be linked to the service (ServiceSender) to search its Slots. */
  senderDosId?: string
  baseUrl: string
  now?: Date
}

function targetValue(header: string | null): string | undefined {
  if (!header) return undefined
  try {
    const t = decodeTargetIdentifier(header)
    return t.isDos ? t.value : undefined
  } catch {
    return undefined
  }
}

export async function searchSlots(input: TSearchSlotsInput): Promise<Bundle> {
  const now = input.now ?? new Date()
  const query = parseSlotQuery(input.params, targetValue(input.targetHeader))
  // One round trip: the service and (only when the window is not too wide) its bookable windows.
  const { service, slots: rows } = await slotRepository.searchForService(query.serviceId, query.from, query.to, now, {
    free: query.statuses.includes('free'),
    busy: query.statuses.includes('busy'),
  })
  if (!service || !service.active) throw new AppError('not-found', `HealthcareService ${query.serviceId} is not served by this receiver.`, { expression: 'Schedule.actor:HealthcareService' })
  authoriseSender(service, input.nhsd, input.senderDosId)
  const hours = (query.to.getTime() - query.from.getTime()) / 3_600_000
  if (hours > service.maxSlotWindowHours) {
    throw new AppError('too-costly', `The search window is ${Math.ceil(hours)} hours; this service answers at most ${service.maxSlotWindowHours} hours at a time.`, { expression: 'start' })
  }
  const schedules = [...new Map(rows.map((r) => [r.scheduleId, { id: r.scheduleId, name: r.scheduleName }])).values()]
  return buildSlotSearchset({ query, slots: rows, schedules, service, baseUrl: input.baseUrl, now })
}
