import { fhirRoute } from '@/lib/http/with-fhir-route'
import { readReferral } from '@/lib/referrals/read-referral'

export const dynamic = 'force-dynamic'

// GET /fhir/ServiceRequest/{id}
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    GET: async ({ params, service }) => ({ body: await readReferral(service!, params.id) }),
  },
  { target: 'required' },
)
