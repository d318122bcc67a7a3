import { fhirRoute } from '@/lib/http/with-fhir-route'
import { readReferral } from '@/lib/referrals/read-referral'
import { readScope } from '@/lib/senders/sender-scope'

export const dynamic = 'force-dynamic'

// GET /fhir/ServiceRequest/{id}
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    GET: async ({ params, service, sender, nhsd }) => ({ body: await readReferral(service!, readScope(service!, sender, nhsd), params.id) }),
  },
  { target: 'required' },
)
