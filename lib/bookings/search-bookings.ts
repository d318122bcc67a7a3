import type { Appointment, Bundle } from '@medplum/fhirtypes'
import { searchsetBundle } from '@/lib/bars/resource-builders'
import { matchesDemographics, parsePatientSearch } from '@/lib/bars/search-params'
import { scopeEndpoints, type TReadScope } from '@/lib/senders/sender-scope'
import type { TServiceRecord } from '@/lib/services/service-repository'
import { bookingQueries } from './booking-repository'
import { bookingAsAppointment } from './read-booking'

/** GET /Appointment?patient:identifier=…|patient:name+birthdate+address-postalcode → searchset. */
export async function searchBookings(service: TServiceRecord, scope: TReadScope, params: URLSearchParams, baseUrl: string, selfUrl: string): Promise<Bundle<Appointment>> {
  const search = parsePatientSearch(params, { allowIdentifier: false })
  const rows = await bookingQueries.search(service.id, { ...search, sourceEndpoints: scopeEndpoints(scope) })
  return searchsetBundle(rows.filter((b) => matchesDemographics(search, b)).map(bookingAsAppointment), baseUrl, selfUrl)
}
