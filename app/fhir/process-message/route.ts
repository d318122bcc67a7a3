import { processMessageLimiter } from '@/lib/http/inflight-limit'
import { fhirRoute, readFhirJsonWithText } from '@/lib/http/with-fhir-route'
import { processMessage } from '@/lib/messages/process-message'
import { checkRateLimit } from '@/lib/security/check-rate-limit'

export const dynamic = 'force-dynamic'

// POST /fhir/$process-message (rewritten here by next.config.js).
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    POST: async ({ req, requestId, correlationId, nhsd, acceptVersion, service, sender, rateLimit, callAudit }) => {
      let body: { value: unknown; text: string }
      try {
        body = await readFhirJsonWithText(req)
      } catch (e) {
        // A body refused before the message's transaction (415, 413, 400) still counts against the
        // sender's rate limit; everything later is counted inside that transaction.
        if (rateLimit) await checkRateLimit(rateLimit.key, rateLimit.limit)
        throw e
      }
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
