import { readBooking } from '@/lib/bookings/read-booking'
import { readScope } from '@/lib/senders/sender-scope'
import { fhirRoute } from '@/lib/http/with-fhir-route'

export const dynamic = 'force-dynamic'

// GET /fhir/Appointment/{id}
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    GET: async ({ params, service, sender, nhsd }) => ({ body: await readBooking(service!, readScope(service!, sender, nhsd), params.id) }),
  },
  { target: 'required' },
)
