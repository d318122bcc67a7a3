import type { ServiceRequest } from '@medplum/fhirtypes'
import { buildServiceRequestForRead, type TStoredBundle } from '@/lib/bars/resource-builders'
import { readId } from '@/lib/bars/search-params'
import { AppError } from '@/lib/errors/app-error'
import { scopeEndpoints, type TReadScope } from '@/lib/senders/sender-scope'
import type { TServiceRecord } from '@/lib/services/service-repository'
import { referralQueries, type TReferralRead } from './referral-repository'
import { versionBundle } from '@/lib/referrals/version-bundle'

export function referralAsServiceRequest(r: TReferralRead): ServiceRequest {
  return buildServiceRequestForRead(
    r,
    r.versions.map((v) => versionBundle(v) as TStoredBundle),
    r.bookings.map((b) => b.id),
  )
}

/** GET /ServiceRequest/{id}: 400 value for a non-UUID id, 404 when this service has no such referral the caller may see. */
export async function readReferral(service: TServiceRecord, scope: TReadScope, rawId: string | undefined): Promise<ServiceRequest> {
  const id = readId(rawId, 'ServiceRequest')
  const r = await referralQueries.getForService(service.id, id, scopeEndpoints(scope))
  if (!r) throw new AppError('not-found', 'No ServiceRequest with this id at this service.', { expression: 'ServiceRequest.id' })
  return referralAsServiceRequest(r)
}
