import { readBooking } from '@/lib/bookings/read-booking'
import { fhirRoute } from '@/lib/http/with-fhir-route'

export const dynamic = 'force-dynamic'

// GET /fhir/Appointment/{id}
export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute(
  {
    GET: async ({ params, service }) => ({ body: await readBooking(service!, params.id) }),
  },
  { target: 'required' },
)
