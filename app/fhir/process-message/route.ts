import { fhirRoute, readFhirJson } from '@/lib/http/with-fhir-route'
import { processMessage } from '@/lib/messages/process-message'
import { resolveTargetService } from '@/lib/services/resolve-target-service'

export const dynamic = 'force-dynamic'

// POST /fhir/$process-message (rewritten here by next.config.js).
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  POST: async ({ req, requestId, correlationId, nhsd, acceptVersion }) => {
    const service = await resolveTargetService(req.headers.get('nhsd-target-identifier'))
    const body = await readFhirJson(req)
    const reply = await processMessage({
      service,
      requestId,
      correlationId,
      nhsd,
      auditHeaders: { nhsd, acceptVersion, target: service.dosServiceId },
      body,
    })
    return { body: reply }
  },
})
