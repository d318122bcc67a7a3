import { processMessageLimiter } from '@/lib/http/inflight-limit'
import { fhirRoute, readFhirJson } from '@/lib/http/with-fhir-route'
import { processMessage } from '@/lib/messages/process-message'

export const dynamic = 'force-dynamic'

// POST /fhir/$process-message (rewritten here by next.config.js).
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    POST: async ({ req, requestId, correlationId, nhsd, acceptVersion, service, sender }) => {
      const body = await readFhirJson(req)
      const reply = await processMessage({
        service: service!,
        requestId,
        correlationId,
        nhsd,
        auditHeaders: { nhsd, acceptVersion, target: service!.dosServiceId },
        body,
        authenticatedSenderDosId: sender.method === 'bearer' || sender.method === 'client-cert' ? sender.dosServiceId : undefined,
      })
      return { body: reply }
    },
  },
  { target: 'required', inflight: processMessageLimiter },
)
