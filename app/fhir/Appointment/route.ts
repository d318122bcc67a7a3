import { searchBookings } from '@/lib/bookings/search-bookings'
import { readScope } from '@/lib/senders/sender-scope'
import { fhirRoute } from '@/lib/http/with-fhir-route'
import { fhirBaseUrl } from '@/lib/metadata/fhir-base-url'

export const dynamic = 'force-dynamic'

// GET /fhir/Appointment?patient:identifier=… | patient:name&patient:birthdate&patient:address-postalcode
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    GET: async ({ url, service, sender, nhsd }) => ({
      body: await searchBookings(service!, readScope(service!, sender, nhsd), url.searchParams, fhirBaseUrl(), `${fhirBaseUrl()}/Appointment${url.search}`),
    }),
  },
  { target: 'required' },
)
