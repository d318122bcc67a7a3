import { env } from '@/lib/env'
import { fhirRoute } from '@/lib/http/with-fhir-route'
import { directSenderDosId } from '@/lib/senders/sender-scope'
import { searchSlots } from '@/lib/slots/search-slots'

export const dynamic = 'force-dynamic'

// GET /fhir/Slot — slot search (spec §2.5). Never cached: the wrapper sends Cache-Control: no-store.
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  GET: async ({ url, req, nhsd, sender }) => {
    const bundle = await searchSlots({
      params: url.searchParams,
      targetHeader: req.headers.get('nhsd-target-identifier'),
      nhsd,
      senderDosId: directSenderDosId(sender),
      baseUrl: `${env().BARS_PUBLIC_URL.replace(/\/$/, '')}/fhir`,
    })
    return { body: bundle }
  },
})
