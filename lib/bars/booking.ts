import type { Appointment, Patient } from '@medplum/fhirtypes'
import { AppError } from '@/lib/errors/app-error'
import { parseRelativeReference, resolveEntry } from '@/lib/fhir/bundle'
import type { TMessage } from './message'
import { patientSummary, type TPatientSummary } from './referral'
import { appointmentUseCase } from './workflow'

export interface TBookingSummary {
  /** Appointment.status as received (booked, cancelled, entered-in-error). */
  status: string
  useCase?: string
  /** Our Slot id: the `id` of the bundled Slot (from GET /Slot), or the id of a `Slot/{id}` reference (open question A7). */
  slotId?: string
  /** Our ServiceRequest id when the referral came first (Appointment.basedOn `ServiceRequest/{id}`). */
  linkedServiceRequestId?: string
  patient: TPatientSummary
  /** Appointment.cancelationReason (text, else the first coding's display or code). */
  cancelReason?: string
  /** Appointment.id as sent: only meaningful when it is one we issued. */
  appointmentId?: string
  lastUpdated?: string
}

/** The Slot an Appointment books: the bundled Slot resource's id, whatever the reference style. */
export function bookedSlotId(msg: TMessage, appt: Appointment): string | undefined {
  for (const ref of appt.slot ?? []) {
    const entry = resolveEntry(msg.bundle, ref.reference)
    if (entry?.resource?.resourceType === 'Slot') {
      const id = entry.resource.id
      if (id) return id
      // A bundled Slot without an id: a `…/Slot/{id}` fullUrl still carries ours.
      const fromUrl = parseRelativeReference(entry.fullUrl)
      if (fromUrl?.type === 'Slot') return fromUrl.id
      continue
    }
    const rel = parseRelativeReference(ref.reference)
    if (rel?.type === 'Slot') return rel.id
  }
  return undefined
}

/** The normalised view of a booking-request message (new or cancel). */
export function summariseBooking(msg: TMessage): TBookingSummary {
  const appt = msg.focus
  if (appt.resourceType !== 'Appointment') {
    throw new AppError('invariant', 'A booking-request must focus an Appointment.', { expression: 'MessageHeader.focus' })
  }
  const patient = (appt.participant ?? [])
    .map((p) => resolveEntry(msg.bundle, p.actor?.reference)?.resource)
    .find((r): r is Patient => r?.resourceType === 'Patient')
  const linked = (appt.basedOn ?? []).map((r) => parseRelativeReference(r.reference)).find((r) => r?.type === 'ServiceRequest')
  const reason = appt.cancelationReason
  return {
    status: appt.status ?? 'unknown',
    useCase: appointmentUseCase(appt),
    slotId: bookedSlotId(msg, appt),
    linkedServiceRequestId: linked?.id,
    patient: patientSummary(patient),
    cancelReason: reason?.text ?? reason?.coding?.[0]?.display ?? reason?.coding?.[0]?.code,
    appointmentId: appt.id,
    lastUpdated: appt.meta?.lastUpdated,
  }
}
