import { fhirRoute } from '@/lib/http/with-fhir-route'
import { searchServedMessageDefinitions } from '@/lib/metadata/search-served-message-definitions'

export const dynamic = 'force-dynamic'

// GET /fhir/MessageDefinition?context=… — our definitions per service (spec §2.3).
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    GET: async ({ url }) => ({ body: await searchServedMessageDefinitions(url.searchParams.getAll('context')) }),
  },
  { target: 'optional' },
)
