import { processMessageLimiter } from '@/lib/http/inflight-limit'
import { fhirRoute, readFhirJsonWithText } from '@/lib/http/with-fhir-route'
import { processMessage } from '@/lib/messages/process-message'

export const dynamic = 'force-dynamic'

// POST /fhir/$process-message (rewritten here by next.config.js).
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    POST: async ({ req, requestId, correlationId, nhsd, acceptVersion, service, sender, rateLimit, callAudit }) => {
      // A body refused here (415, 413, 400) is counted against the sender's rate limit by fhirRoute;
      // everything later is counted inside the message's transaction.
      const body = await readFhirJsonWithText(req)
      const reply = await processMessage({
        service: service!,
        requestId,
        correlationId,
        nhsd,
        auditHeaders: { nhsd, acceptVersion, target: service!.dosServiceId },
        body: body.value,
        bodyText: body.text,
        authenticatedSenderDosId: sender.method === 'bearer' || sender.method === 'client-cert' ? sender.dosServiceId : undefined,
      }, { rateLimit, callAudit })
      // The call's audit row and rate-limit count were written in the message's one transaction.
      return { body: reply, audited: true }
    },
  },
  { target: 'required', inflight: processMessageLimiter, rateLimit: 'handler' },
)
