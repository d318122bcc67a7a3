import type { Appointment } from '@medplum/fhirtypes'
import { buildAppointmentForRead, type TStoredBundle } from '@/lib/bars/resource-builders'
import { readId } from '@/lib/bars/search-params'
import { AppError } from '@/lib/errors/app-error'
import { scopeEndpoints, type TReadScope } from '@/lib/senders/sender-scope'
import type { TServiceRecord } from '@/lib/services/service-repository'
import { bookingQueries, type TBookingRead } from './booking-repository'

export function bookingAsAppointment(b: TBookingRead): Appointment {
  return buildAppointmentForRead(b, b.versions.map((v) => v.bundle as unknown as TStoredBundle))
}

/** GET /Appointment/{id}: 400 value for a non-UUID id, 404 when this service has no such booking the caller may see. */
export async function readBooking(service: TServiceRecord, scope: TReadScope, rawId: string | undefined): Promise<Appointment> {
  const id = readId(rawId, 'Appointment')
  const b = await bookingQueries.getForService(service.id, id, scopeEndpoints(scope))
  if (!b) throw new AppError('not-found', 'No Appointment with this id at this service.', { expression: 'Appointment.id' })
  return bookingAsAppointment(b)
}
