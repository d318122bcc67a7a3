import { fhirRoute } from '@/lib/http/with-fhir-route'
import { fhirBaseUrl } from '@/lib/metadata/fhir-base-url'
import { searchReferrals } from '@/lib/referrals/search-referrals'
import { readScope } from '@/lib/senders/sender-scope'

export const dynamic = 'force-dynamic'

// GET /fhir/ServiceRequest?patient:identifier=… | patient:name&patient:birthdate&patient:address-postalcode | identifier=…
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    GET: async ({ url, service, sender, nhsd }) => ({
      body: await searchReferrals(service!, readScope(service!, sender, nhsd), url.searchParams, fhirBaseUrl(), `${fhirBaseUrl()}/ServiceRequest${url.search}`),
    }),
  },
  { target: 'required' },
)
