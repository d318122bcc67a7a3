import type { Appointment, Bundle, BundleEntry, Identifier, MessageHeader, Patient, Reference, Resource, ServiceRequest } from '@medplum/fhirtypes'
import { resolveEntry } from '@/lib/fhir/bundle'
import { SYSTEMS } from './identifiers'
import { USE_CASE_DISPLAYS } from './message-definitions'

/** A stored version of a referral or booking: the whole message bundle that produced it. */
export type TStoredBundle = Bundle | Record<string, never> | null | undefined

const isBundle = (b: TStoredBundle): b is Bundle => !!b && (b as Bundle).resourceType === 'Bundle'

/** The focus resource of a stored message bundle, when it is of the wanted type. */
function focusOf<T extends Resource>(bundle: TStoredBundle, type: T['resourceType']): T | undefined {
  if (!isBundle(bundle)) return undefined
  const header = bundle.entry?.[0]?.resource as MessageHeader | undefined
  const focus = header?.resourceType === 'MessageHeader' ? resolveEntry(bundle, header.focus?.[0]?.reference)?.resource : undefined
  const found = focus?.resourceType === type ? focus : bundle.entry?.find((e) => e.resource?.resourceType === type)?.resource
  return found as T | undefined
}

/**
 * The content-bearing version: the newest one whose focus is still in its "open" status (a new
 * referral is `active`, a new booking `booked`); cancellations carry a bare focus, so their content is
 * not the resource's. Falls back to the newest version.
 */
function contentVersion(versions: readonly TStoredBundle[], type: 'ServiceRequest' | 'Appointment', openStatus: string): TStoredBundle {
  return versions.find((b) => (focusOf(b, type) as { status?: string } | undefined)?.status === openStatus) ?? versions[0]
}

const PREFERRED_IDENTIFIER: Partial<Record<string, RegExp>> = {
  Patient: /nhs-number$/i,
  Organization: /ods-organi[sz]ation-code$/i,
  HealthcareService: /dos-service-id$|dos-id$/i,
}

function displayOf(r: Resource): string | undefined {
  const named = r as { name?: unknown }
  if (typeof named.name === 'string') return named.name
  if (Array.isArray(named.name)) {
    const n = named.name[0] as { text?: string; family?: string; given?: string[] } | undefined
    return n?.text ?? ([...(n?.given ?? []), n?.family].filter(Boolean).join(' ') || undefined)
  }
  return undefined
}

/** A reference to a resource that only existed inside the message bundle, as a logical reference. */
function logicalReference(entry: BundleEntry): Reference {
  const r = entry.resource!
  const ids = (r as { identifier?: Identifier[] | Identifier }).identifier
  const list = Array.isArray(ids) ? ids : ids ? [ids] : []
  const hint = PREFERRED_IDENTIFIER[r.resourceType]
  const identifier = (hint ? list.find((i) => hint.test(i.system ?? '')) : undefined) ?? list.find((i) => i.value)
  const display = displayOf(r)
  return {
    type: r.resourceType,
    ...(identifier?.value ? { identifier: { ...(identifier.system ? { system: identifier.system } : {}), value: identifier.value } } : {}),
    display: display ?? r.resourceType,
  }
}

/**
 * Replace every reference that points inside the message bundle (urn:uuid fullUrls) by a logical
 * reference (type + business identifier + display): a resource read on its own cannot resolve them.
 * References to resources on a server (`Appointment/{id}`) are left alone. Mutates `value`.
 */
function detachReferences(value: unknown, bundle: TStoredBundle): void {
  if (Array.isArray(value)) {
    for (const v of value) detachReferences(v, bundle)
    return
  }
  if (!value || typeof value !== 'object') return
  const obj = value as Record<string, unknown>
  if (typeof obj.reference === 'string' && obj.reference.startsWith('urn:')) {
    const entry = isBundle(bundle) ? resolveEntry(bundle, obj.reference) : undefined
    delete obj.reference
    if (entry?.resource) Object.assign(obj, logicalReference(entry), typeof obj.display === 'string' ? { display: obj.display } : {})
    else obj.display ??= 'Not available'
    return
  }
  for (const v of Object.values(obj)) detachReferences(v, bundle)
}

function patientReference(p: TStoredPatient): Reference<Patient> {
  const name = [p.patientGiven, p.patientFamily].filter(Boolean).join(' ')
  return {
    type: 'Patient',
    ...(p.patientNhsNumber ? { identifier: { system: SYSTEMS.nhsNumber, value: p.patientNhsNumber } } : {}),
    display: name || 'Patient',
  }
}

interface TStoredPatient {
  patientNhsNumber: string | null
  patientFamily: string | null
  patientGiven: string | null
}

export interface TStoredReferral extends TStoredPatient {
  id: string
  fhirStatus: string
  useCase: string
  category: string
  version: number
  updatedAt: Date
  receivedAt: Date
  cancelReason: string | null
  requestIdentifier: string | null
}

/**
 * GET /ServiceRequest: the referral as FHIR, rebuilt from its stored versions (newest first) — the
 * content of the newest `new` message, with our id, the current status, the sender's cancellation
 * reason, references detached from the message bundle and the current bookings in supportingInfo.
 */
export function buildServiceRequestForRead(r: TStoredReferral, versions: readonly TStoredBundle[], currentBookingIds: readonly string[]): ServiceRequest {
  const base = contentVersion(versions, 'ServiceRequest', 'active')
  const found = focusOf<ServiceRequest>(base, 'ServiceRequest')
  const sr: ServiceRequest = found
    ? structuredClone(found)
    : {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'plan',
        subject: {},
        category: [
          {
            coding: [
              { system: SYSTEMS.serviceRequestCategory, code: r.category },
              { system: SYSTEMS.useCases, code: r.useCase, ...(USE_CASE_DISPLAYS[r.useCase] ? { display: USE_CASE_DISPLAYS[r.useCase] } : {}) },
            ],
          },
        ],
        ...(r.requestIdentifier ? { identifier: [{ value: r.requestIdentifier }] } : {}),
      }
  detachReferences(sr, base)
  sr.id = r.id
  sr.status = r.fhirStatus as ServiceRequest['status']
  sr.meta = { ...(sr.meta ?? {}), versionId: String(r.version), lastUpdated: r.updatedAt.toISOString() }
  sr.subject = patientReference(r)
  sr.authoredOn ??= r.receivedAt.toISOString()
  if (r.cancelReason) sr.reasonCode = [{ text: r.cancelReason }]
  // Links to bookings are ours: drop the ones the sender sent, add the current ones.
  const others = (sr.supportingInfo ?? []).filter((s) => !/(^|\/)Appointment\//.test(s.reference ?? ''))
  const bookings = currentBookingIds.map((id) => ({ reference: `Appointment/${id}` }))
  if (others.length + bookings.length) sr.supportingInfo = [...others, ...bookings]
  else delete sr.supportingInfo
  return sr
}

export interface TStoredBooking extends TStoredPatient {
  id: string
  status: string
  slotId: string | null
  referralId: string | null
  useCase: string | null
  start: Date
  end: Date
  createdAt: Date
  updatedAt: Date
  version: number
  cancelReason: string | null
}

/**
 * GET /Appointment: the booking as FHIR, rebuilt from its stored versions (newest first) with our
 * id, current status, our slot times, `created`, the Slot and current referral link, and the patient
 * as a logical reference.
 */
export function buildAppointmentForRead(b: TStoredBooking, versions: readonly TStoredBundle[]): Appointment {
  const base = contentVersion(versions, 'Appointment', 'booked')
  const found = focusOf<Appointment>(base, 'Appointment')
  const appt: Appointment = found ? structuredClone(found) : { resourceType: 'Appointment', status: 'booked', participant: [] }
  detachReferences(appt, base)
  appt.id = b.id
  appt.status = b.status as Appointment['status']
  appt.meta = { ...(appt.meta ?? {}), versionId: String(b.version), lastUpdated: b.updatedAt.toISOString() }
  appt.start = b.start.toISOString()
  appt.end = b.end.toISOString()
  appt.created = b.createdAt.toISOString()
  if (b.slotId) appt.slot = [{ reference: `Slot/${b.slotId}` }]
  else delete appt.slot
  if (b.referralId) appt.basedOn = [{ reference: `ServiceRequest/${b.referralId}` }]
  else delete appt.basedOn
  appt.participant = [{ actor: patientReference(b), status: 'accepted' }]
  if (b.useCase && !appt.serviceCategory?.length) {
    appt.serviceCategory = [{ coding: [{ system: SYSTEMS.useCases, code: b.useCase, ...(USE_CASE_DISPLAYS[b.useCase] ? { display: USE_CASE_DISPLAYS[b.useCase] } : {}) }] }]
  }
  if (b.cancelReason && b.status !== 'booked') appt.cancelationReason = { text: b.cancelReason }
  return appt
}

/** A searchset Bundle of matches (spec §2.6/§2.7). */
export function searchsetBundle<T extends Resource & { id?: string }>(resources: readonly T[], baseUrl: string, selfUrl?: string): Bundle<T> {
  const base = baseUrl.replace(/\/+$/, '')
  return {
    resourceType: 'Bundle',
    id: crypto.randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
    total: resources.length,
    ...(selfUrl ? { link: [{ relation: 'self', url: selfUrl }] } : {}),
    entry: resources.map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' as const } })),
  }
}
