/**
 * Fresh copies of the real NHS example messages (lib/bars/__fixtures__/examples), made new the way a
 * sender would: a new Bundle.id, `meta.lastUpdated` = now on every resource, our ids where a sender
 * must carry them (the Slot from GET /Slot, the Appointment/ServiceRequest it links to). For tests,
 * the conformance suite (scripts/conformance.ts) and demos.
 */
import type { Appointment, Bundle, Patient, ServiceRequest, Slot } from '@medplum/fhirtypes'
import bookreq01 from './__fixtures__/examples/BOOKREQ01_Booking_Request_New_Full.json'
import bookreq02 from './__fixtures__/examples/BOOKREQ02_Booking_Request_Cancelled.json'
import refreq01 from './__fixtures__/examples/REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json'
import servreq01 from './__fixtures__/examples/SERVREQ01_Service_Request_Update_Revoked.json'
import servreq02 from './__fixtures__/examples/SERVREQ02_Service_Request_Delete_Entered_in_error.json'
import { SYSTEMS } from './identifiers'

/** The slot BOOKREQ01 books (the demo seed creates it, tomorrow 10:00 London). */
export const EXAMPLE_BOOKED_SLOT_ID = 'da83ae28-46f0-4aad-9c54-dcad462cafcb'

const clone = (json: unknown): Bundle => structuredClone(json) as Bundle

function refresh(bundle: Bundle, now: Date): Bundle {
  const stamp = now.toISOString()
  bundle.id = crypto.randomUUID()
  bundle.timestamp = stamp
  bundle.meta = { ...(bundle.meta ?? {}), lastUpdated: stamp }
  for (const e of bundle.entry ?? []) {
    const r = e.resource!
    r.meta = { ...(r.meta ?? {}), lastUpdated: stamp }
  }
  return bundle
}

function setPatient(bundle: Bundle, patient: { nhsNumber?: string | null; family?: string; given?: string; birthDate?: string }) {
  for (const e of bundle.entry ?? []) {
    if (e.resource?.resourceType !== 'Patient') continue
    const p = e.resource as Patient
    if (patient.nhsNumber === null) p.identifier = p.identifier?.filter((i) => i.system !== SYSTEMS.nhsNumber)
    else if (patient.nhsNumber) p.identifier = p.identifier?.map((i) => (i.system === SYSTEMS.nhsNumber ? { ...i, value: patient.nhsNumber! } : i))
    if (patient.family || patient.given) {
      const given = patient.given ?? p.name?.[0]?.given?.[0] ?? 'Alex'
      const family = patient.family ?? p.name?.[0]?.family ?? 'Smith'
      p.name = [{ use: 'official', family, given: [given], text: `${given} ${family}` }]
    }
    if (patient.birthDate) p.birthDate = patient.birthDate
  }
}

const focus = <T>(bundle: Bundle, type: string): T => bundle.entry!.find((e) => e.resource?.resourceType === type)!.resource as T

export interface TPatientOpts {
  nhsNumber?: string | null
  family?: string
  given?: string
  birthDate?: string
}

/**
 * REFREQ01 (111→ED referral) made new: no link to the example's booking unless `supportingAppointmentId`
 * (our Appointment id, booking first), a deadline an hour from now, the given patient.
 */
export function freshReferralMessage(opts: { now: Date; patient?: TPatientOpts & { postcode?: string }; supportingAppointmentId?: string; identifier?: string }): Bundle {
  const bundle = refresh(clone(refreq01), opts.now)
  const sr = focus<ServiceRequest>(bundle, 'ServiceRequest')
  sr.supportingInfo = (sr.supportingInfo ?? []).filter((s) => !s.reference?.startsWith('Appointment/'))
  if (opts.supportingAppointmentId) sr.supportingInfo.push({ reference: `Appointment/${opts.supportingAppointmentId}` })
  sr.occurrencePeriod = { start: opts.now.toISOString(), end: new Date(opts.now.getTime() + 3_600_000).toISOString() }
  sr.authoredOn = opts.now.toISOString()
  if (opts.identifier) sr.identifier = [{ system: 'https://conformance.example.nhs.uk/Id/referral', value: opts.identifier }]
  if (opts.patient) {
    setPatient(bundle, opts.patient)
    if (opts.patient.postcode) {
      const p = focus<Patient>(bundle, 'Patient')
      p.address = [{ use: 'home', line: ['1 Test Street'], city: 'Leeds', postalCode: opts.patient.postcode }]
    }
  }
  return bundle
}

/** BOOKREQ01 made new: books `slotId` (our id from GET /Slot), optionally based on our ServiceRequest. */
export function freshBooking(opts: { now: Date; slotId?: string; basedOnServiceRequestId?: string; patient?: TPatientOpts }): Bundle {
  const bundle = refresh(clone(bookreq01), opts.now)
  focus<Slot>(bundle, 'Slot').id = opts.slotId ?? EXAMPLE_BOOKED_SLOT_ID
  if (opts.basedOnServiceRequestId) focus<Appointment>(bundle, 'Appointment').basedOn = [{ reference: `ServiceRequest/${opts.basedOnServiceRequestId}` }]
  if (opts.patient) setPatient(bundle, opts.patient)
  return bundle
}

/** BOOKREQ02 made new: cancels a booking; carries our Appointment id only when given (the example carries none). */
export function freshBookingCancel(opts: { now: Date; appointmentId?: string; reason?: string; patient?: TPatientOpts }): Bundle {
  const bundle = refresh(clone(bookreq02), opts.now)
  const appt = focus<Appointment>(bundle, 'Appointment')
  if (opts.appointmentId) appt.id = opts.appointmentId
  if (opts.reason) appt.cancelationReason = { text: opts.reason }
  if (opts.patient) setPatient(bundle, opts.patient)
  return bundle
}

/**
 * SERVREQ01 (revoked, reason `update`) or SERVREQ02 (entered-in-error, reason `delete`) made new and
 * turned into a 111→ED referral cancellation: the examples cancel an App 4 validation request (a4t1),
 * which an ED does not take; the category becomes `referral` / a1t1. Patient NHS number 3478526985 as
 * in REFREQ01.
 */
export function freshReferralCancel(opts: {
  now: Date
  status?: 'revoked' | 'entered-in-error'
  serviceRequestId?: string
  reason?: string
  useCase?: string
  patient?: TPatientOpts
}): Bundle {
  const bundle = refresh(clone(opts.status === 'entered-in-error' ? servreq02 : servreq01), opts.now)
  const sr = focus<ServiceRequest>(bundle, 'ServiceRequest')
  sr.meta = { ...sr.meta, profile: ['https://fhir.nhs.uk/StructureDefinition/BARSServiceRequest-request-referral'] }
  const useCase = opts.useCase ?? 'a1t1'
  sr.category = [
    {
      coding: [
        { system: SYSTEMS.serviceRequestCategory, code: 'referral', display: 'Transfer of Care' },
        { system: SYSTEMS.useCases, code: useCase },
      ],
    },
  ]
  if (opts.serviceRequestId) sr.id = opts.serviceRequestId
  if (opts.reason) sr.reasonCode = [{ text: opts.reason }]
  if (opts.patient) setPatient(bundle, opts.patient)
  return bundle
}

/** A valid-looking NHS number (modulus 11) that no example uses, for isolated test patients. */
export function randomNhsNumber(): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? 9 : Math.floor(Math.random() * 10)))
    const sum = digits.reduce((acc, d, i) => acc + d * (10 - i), 0)
    const check = 11 - (sum % 11)
    if (check === 10) continue
    return `${digits.join('')}${check === 11 ? 0 : check}`
  }
}
