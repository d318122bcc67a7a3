import { fhirRoute } from '@/lib/http/with-fhir-route'
import { getCapabilityStatement } from '@/lib/metadata/get-capability-statement'
import { withSenderAuthNotice } from '@/lib/senders/sender-auth-posture'

export const dynamic = 'force-dynamic'

// GET /fhir/metadata — the CapabilityStatement; needs no NHSD-Target-Identifier (spec §2.2).
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    GET: async ({ service }) => ({ body: withSenderAuthNotice(await getCapabilityStatement(service)) }),
  },
  { target: 'optional' },
)
