import { decodeTargetIdentifier, type TNhsdHeaders } from '@/lib/bars/headers'
import { AppError } from '@/lib/errors/app-error'
import { serviceRepository, type TServiceRecord } from './service-repository'

/**
 * NHSD-Target-Identifier → one of our active services (404 when it is not ours).
 */
export async function resolveTargetService(header: string | null): Promise<TServiceRecord> {
  const target = decodeTargetIdentifier(header)
  if (!target.isDos) throw new AppError('not-found', `Target identifier system ${target.system} does not name a service of this receiver.`)
  const service = await serviceRepository.findByDosId(target.value)
  if (!service || !service.active) throw new AppError('not-found', `Service ${target.value} is not served by this receiver.`)
  return service
}

/**
 * Access control on the NHSD-* headers and the message source (spec §8): when a service lists its
 * senders, the sender's endpoint must be one of them and, if that sender lists ODS codes, the
 * NHSD-End-User-Organisation must carry one. Denial is 401 (the proxy turns 403 into "TLS-MA failure").
 */
export function authoriseSender(service: TServiceRecord, nhsd: TNhsdHeaders, sourceDosId?: string): void {
  const allowed = service.senders.filter((s) => s.active)
  if (allowed.length === 0) return
  const ods = nhsd.endUserOrganisation?.odsCode?.toUpperCase()
  const candidates = sourceDosId ? allowed.filter((s) => s.dosServiceId === sourceDosId) : allowed
  if (candidates.length === 0) throw new AppError('unauthorized', 'The sending service is not allowed to send to this service.')
  const ok = candidates.some((s) => s.odsCodes.length === 0 || (ods !== undefined && s.odsCodes.map((c) => c.toUpperCase()).includes(ods)))
  if (!ok) throw new AppError('unauthorized', 'NHSD-End-User-Organisation is not allowed to send to this service.')
}
