import type { Bundle, ServiceRequest } from '@medplum/fhirtypes'
import { searchsetBundle } from '@/lib/bars/resource-builders'
import { matchesDemographics, parsePatientSearch } from '@/lib/bars/search-params'
import { scopeEndpoints, type TReadScope } from '@/lib/senders/sender-scope'
import type { TServiceRecord } from '@/lib/services/service-repository'
import { referralAsServiceRequest } from './read-referral'
import { referralQueries } from './referral-repository'

/** GET /ServiceRequest?patient:identifier=…|patient:name+birthdate+address-postalcode|identifier=… → searchset of what the caller may see. */
export async function searchReferrals(service: TServiceRecord, scope: TReadScope, params: URLSearchParams, baseUrl: string, selfUrl: string): Promise<Bundle<ServiceRequest>> {
  const search = parsePatientSearch(params, { allowIdentifier: true })
  const rows = await referralQueries.search(service.id, { ...search, sourceEndpoints: scopeEndpoints(scope) })
  return searchsetBundle(rows.filter((r) => matchesDemographics(search, r)).map(referralAsServiceRequest), baseUrl, selfUrl)
}
