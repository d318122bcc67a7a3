import type { Appointment, Bundle } from '@medplum/fhirtypes'
import { searchsetBundle } from '@/lib/bars/resource-builders'
import { matchesDemographics, parsePatientSearch } from '@/lib/bars/search-params'
import type { TServiceRecord } from '@/lib/services/service-repository'
import { bookingQueries } from './booking-repository'
import { bookingAsAppointment } from './read-booking'

/** GET /Appointment?patient:identifier=…|patient:name+birthdate+address-postalcode → searchset. */
export async function searchBookings(service: TServiceRecord, params: URLSearchParams, baseUrl: string, selfUrl: string): Promise<Bundle<Appointment>> {
  const search = parsePatientSearch(params, { allowIdentifier: false })
  const rows = await bookingQueries.search(service.id, search)
  return searchsetBundle(rows.filter((b) => matchesDemographics(search, b)).map(bookingAsAppointment), baseUrl, selfUrl)
}
