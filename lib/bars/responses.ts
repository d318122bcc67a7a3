/**
 * The FHIR messages we send back to a referral's sender when a clinician acts (role reversal,
 * spec §4.9). Pure: built from the stored request bundle and the referral's ids, never from the
 * database. The mapping of actions to messages, and which of them the national Applications
 * define, is written up in docs/responses.md.
 */
import type {
  Appointment,
  Bundle,
  BundleEntry,
  Encounter,
  MessageHeader,
  Organization,
  Patient,
  Reference,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes'
import { resolveEntry, resourcesOfType } from '@/lib/fhir/bundle'
import { SYSTEMS } from './identifiers'
import { REJECTED_REASONS, REJECTED_REASONS_SYSTEM, type TRejectedReason } from './referral-state'

export const MESSAGE_DEFINITIONS = {
  /** National (App 1/2): safeguarding DNA feedback, ED → 111 (example REFRESP01). */
  referralResponse: 'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-referral',
  /** National (App 4): interim validation response (accepted → in-progress, rejected → cancelled). */
  validationInterim: 'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-validation-interim',
} as const

/** Our own MessageDefinition canonicals, for responses no national Application defines. */
export function localDefinition(publicUrl: string, name: 'referral-decision' | 'referral-rebook'): string {
  return `${publicUrl.replace(/\/$/, '')}/MessageDefinition/bars-inbox-servicerequest-response-${name}`
}

export type TResponseKind = 'accept' | 'reject' | 'rebook' | 'booking-cancelled' | 'dna-feedback' | 'dna-safeguarding-feedback'

export interface TResponseContext {
  /** The stored request bundle of the referral's current version, as received. */
  request: Bundle
  referral: {
    /** Our ServiceRequest id. */
    id: string
    /** Our Encounter id (the planned Encounter of the synchronous reply). */
    encounterId: string
    caseReference: string
    /** Bundle.id of the original request: MessageHeader.response.identifier. */
    bundleId: string
    /** The original MessageHeader.source.endpoint: where the response goes. */
    sourceEndpoint: string
    category: string
    senderName?: string | null
    senderOdsCode?: string | null
  }
  /** The receiving service (us). */
  service: { dosServiceId: string; name: string; odsCode: string }
  /** Our public base URL (identifier systems and our own MessageDefinitions). */
  publicUrl: string
  now: string
  /** Bundle.id of the response (a new one per message). */
  bundleId: string
}

export interface TWindow {
  /** Our Appointment id, when there is one. */
  id?: string
  start: string
  end: string
  slotId?: string
}

const PROFILE = {
  bundle: 'https://fhir.nhs.uk/StructureDefinition/BARSBundleMessage',
  header: 'https://fhir.nhs.uk/StructureDefinition/BARSMessageHeader-servicerequest-response',
  encounter: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter',
  appointment: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Appointment',
  organization: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization',
} as const

const uuidOf = (fullUrl: string | undefined) => /^urn:uuid:([0-9a-f-]{36})$/i.exec(fullUrl ?? '')?.[1]
const clone = <T>(v: T): T => structuredClone(v)

interface TParts {
  header: MessageHeader
  srEntry?: BundleEntry
  sr?: ServiceRequest
  patientEntry?: BundleEntry
  senderEncounterEntry?: BundleEntry
  /** The original receiver Organization (us) and sender Organization (them), from the request. */
  ourOrg: BundleEntry
  theirOrg: BundleEntry
}

function parts(ctx: TResponseContext): TParts {
  const req = ctx.request
  const header = resourcesOfType(req, 'MessageHeader')[0] ?? ({ resourceType: 'MessageHeader' } as MessageHeader)
  const srEntry = (req.entry ?? []).find((e) => e.resource?.resourceType === 'ServiceRequest')
  const sr = srEntry?.resource as ServiceRequest | undefined
  const patientEntry = resolveEntry(req, sr?.subject?.reference) ?? (req.entry ?? []).find((e) => e.resource?.resourceType === 'Patient')
  const senderEncounterEntry = resolveEntry(req, sr?.encounter?.reference)

  const orgEntry = (reference: string | undefined): BundleEntry | undefined => {
    const e = resolveEntry(req, reference)
    return e?.resource?.resourceType === 'Organization' ? e : undefined
  }
  const ourOrg =
    orgEntry(header.destination?.[0]?.receiver?.reference) ??
    newOrganization(ctx.service.name, ctx.service.odsCode)
  const theirOrg =
    orgEntry(header.sender?.reference) ?? newOrganization(ctx.referral.senderName ?? 'Referring organisation', ctx.referral.senderOdsCode ?? undefined)
  return { header, srEntry, sr, patientEntry, senderEncounterEntry, ourOrg, theirOrg }
}

function newOrganization(name: string, odsCode: string | undefined): BundleEntry {
  const id = crypto.randomUUID()
  const org: Organization = {
    resourceType: 'Organization',
    id,
    meta: { profile: [PROFILE.organization] },
    ...(odsCode ? { identifier: [{ system: SYSTEMS.odsOrganisation, value: odsCode }] } : {}),
    name,
  }
  return { fullUrl: `urn:uuid:${id}`, resource: org }
}

/** A copy of an entry from the request, with an id (the request's resources often carry none). */
function copyEntry<T extends Resource>(entry: BundleEntry | undefined, id?: string): BundleEntry<T> | undefined {
  if (!entry?.resource) return undefined
  const resource = clone(entry.resource) as T
  resource.id = id ?? resource.id ?? uuidOf(entry.fullUrl) ?? crypto.randomUUID()
  return { fullUrl: entry.fullUrl ?? `urn:uuid:${resource.id}`, resource }
}

function messageHeader(
  ctx: TResponseContext,
  p: TParts,
  opts: { focus: string; definition: string; reason: 'new' | 'update' },
): BundleEntry<MessageHeader> {
  const id = crypto.randomUUID()
  const original = p.header
  const header: MessageHeader = {
    resourceType: 'MessageHeader',
    id,
    meta: { lastUpdated: ctx.now, profile: [PROFILE.header] },
    eventCoding: { system: SYSTEMS.messageEvents, code: 'servicerequest-response' },
    destination: [{ endpoint: ctx.referral.sourceEndpoint, receiver: { reference: p.theirOrg.fullUrl } }],
    sender: { reference: p.ourOrg.fullUrl },
    source: {
      name: ctx.service.name,
      software: 'BaRS Inbox',
      version: '0.1.0',
      endpoint: `${SYSTEMS.dosServiceId}|${ctx.service.dosServiceId}`,
    },
    reason: { coding: [{ system: SYSTEMS.messageReason, code: opts.reason }] },
    response: { identifier: ctx.referral.bundleId, code: 'ok' },
    focus: [{ reference: opts.focus }],
    definition: opts.definition,
  }
  // Keep the CDSS extension of the conversation, as the national examples do.
  if (original.extension?.length) header.extension = clone(original.extension)
  return { fullUrl: `urn:uuid:${id}`, resource: header }
}

function bundle(ctx: TResponseContext, entries: (BundleEntry | undefined)[]): Bundle {
  return {
    resourceType: 'Bundle',
    id: ctx.bundleId,
    meta: { versionId: ctx.request.meta?.versionId ?? '1.0.0', lastUpdated: ctx.now, profile: [PROFILE.bundle] },
    type: 'message',
    timestamp: ctx.now,
    entry: entries.filter((e): e is BundleEntry => !!e),
  }
}

/** The echoed ServiceRequest, trimmed to what a response needs (no references to resources we leave out). */
function slimServiceRequest(ctx: TResponseContext, p: TParts, status: ServiceRequest['status'], supportingInfo?: Reference[]): BundleEntry {
  const sr = p.sr
  const resource: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: ctx.referral.id,
    meta: { lastUpdated: ctx.now, ...(sr?.meta?.profile ? { profile: sr.meta.profile } : {}) },
    ...(sr?.identifier ? { identifier: clone(sr.identifier) } : {}),
    status: status ?? 'active',
    intent: sr?.intent ?? 'plan',
    ...(sr?.category ? { category: clone(sr.category) } : {}),
    subject: { reference: p.patientEntry?.fullUrl ?? sr?.subject?.reference },
    ...(p.senderEncounterEntry?.fullUrl ? { encounter: { reference: p.senderEncounterEntry.fullUrl } } : {}),
    ...(sr?.occurrencePeriod ? { occurrencePeriod: clone(sr.occurrencePeriod) } : {}),
    ...(sr?.authoredOn ? { authoredOn: sr.authoredOn } : {}),
    ...(supportingInfo?.length ? { supportingInfo } : {}),
  }
  return { fullUrl: p.srEntry?.fullUrl ?? `urn:uuid:${ctx.referral.id}`, resource }
}

/** The patient, without references to resources a short response leaves out (GP practice). */
function slimPatient(p: TParts): BundleEntry | undefined {
  const e = copyEntry<Patient>(p.patientEntry)
  if (e?.resource) delete e.resource.generalPractitioner
  return e
}

function slimSenderEncounter(p: TParts): BundleEntry | undefined {
  const e = copyEntry<Encounter>(p.senderEncounterEntry)
  if (!e?.resource) return undefined
  const { id, meta, identifier, status, class: klass, subject, episodeOfCare, period } = e.resource
  e.resource = { resourceType: 'Encounter', id, meta, identifier, status, class: klass, subject, episodeOfCare, period } as Encounter
  for (const k of Object.keys(e.resource) as (keyof Encounter)[]) if (e.resource[k] === undefined) delete e.resource[k]
  return e
}

/** Our Encounter for the referral (the planned one of the synchronous reply, moved on). */
function ourEncounter(ctx: TResponseContext, p: TParts, status: Encounter['status'], reasonCode?: Encounter['reasonCode']): BundleEntry<Encounter> {
  const journey = (p.senderEncounterEntry?.resource as Encounter | undefined)?.episodeOfCare
  const resource: Encounter = {
    resourceType: 'Encounter',
    id: ctx.referral.encounterId,
    meta: { lastUpdated: ctx.now, profile: [PROFILE.encounter] },
    identifier: [{ system: `${ctx.publicUrl.replace(/\/$/, '')}/Id/case-number`, value: ctx.referral.caseReference }],
    status: status ?? 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' },
    ...(p.patientEntry?.fullUrl ? { subject: { reference: p.patientEntry.fullUrl } } : {}),
    ...(journey ? { episodeOfCare: clone(journey) } : {}),
    basedOn: [{ reference: p.srEntry?.fullUrl ?? `urn:uuid:${ctx.referral.id}` }],
    period: { start: ctx.now },
    ...(reasonCode ? { reasonCode } : {}),
  }
  return { fullUrl: `urn:uuid:${ctx.referral.encounterId}`, resource }
}

function appointment(ctx: TResponseContext, p: TParts, w: TWindow, status: Appointment['status'], extra: Partial<Appointment> = {}): BundleEntry<Appointment> {
  const id = w.id ?? crypto.randomUUID()
  const resource: Appointment = {
    resourceType: 'Appointment',
    id,
    meta: { lastUpdated: ctx.now, profile: [PROFILE.appointment] },
    status: status ?? 'booked',
    ...extra,
    start: w.start,
    end: w.end,
    ...(w.slotId ? { slot: [{ reference: `Slot/${w.slotId}` }] } : {}),
    basedOn: [{ reference: p.srEntry?.fullUrl ?? `urn:uuid:${ctx.referral.id}` }],
    participant: [{ actor: { reference: p.patientEntry?.fullUrl }, status: 'accepted' }],
  }
  return { fullUrl: `urn:uuid:${id}`, resource }
}

function decisionDefinition(ctx: TResponseContext): string {
  return ctx.referral.category === 'validation' ? MESSAGE_DEFINITIONS.validationInterim : localDefinition(ctx.publicUrl, 'referral-decision')
}

/** Accept: the App 4 interim pattern — our Encounter `in-progress`. */
export function buildAcceptResponse(ctx: TResponseContext): Bundle {
  const p = parts(ctx)
  return decisionBundle(ctx, p, ourEncounter(ctx, p, 'in-progress'))
}

/** Accept and reject share one shape: our Encounter is the focus, beside the slim referral. */
function decisionBundle(ctx: TResponseContext, p: ReturnType<typeof parts>, enc: ReturnType<typeof ourEncounter>): Bundle {
  return bundle(ctx, [
    messageHeader(ctx, p, { focus: enc.fullUrl!, definition: decisionDefinition(ctx), reason: 'new' }),
    slimServiceRequest(ctx, p, 'active'),
    slimSenderEncounter(p),
    enc,
    slimPatient(p),
    p.ourOrg,
    p.theirOrg,
  ])
}

/** Reject: the App 4 interim rejection — our Encounter `cancelled` with a rejected-reasons-bars reasonCode. */
export function buildRejectResponse(ctx: TResponseContext, reason: { code: TRejectedReason; text?: string }): Bundle {
  const p = parts(ctx)
  const enc = ourEncounter(ctx, p, 'cancelled', [
    {
      coding: [{ system: REJECTED_REASONS_SYSTEM, code: reason.code, display: REJECTED_REASONS[reason.code] }],
      ...(reason.text?.trim() ? { text: reason.text.trim() } : {}),
    },
  ])
  return decisionBundle(ctx, p, enc)
}

/**
 * Rebook (ours — no national Application defines a receiver-initiated rebook): the cancelled
 * Appointment (when there was one) and the new booked one, focus on the new Appointment.
 */
export function buildRebookResponse(ctx: TResponseContext, change: { cancelled?: TWindow; booked: TWindow }): Bundle {
  const p = parts(ctx)
  const booked = appointment(ctx, p, change.booked, 'booked', { created: ctx.now })
  const cancelled = change.cancelled
    ? appointment(ctx, p, change.cancelled, 'cancelled', { cancelationReason: { text: 'Moved to another arrival window by the receiving service' } })
    : undefined
  return bundle(ctx, [
    messageHeader(ctx, p, { focus: booked.fullUrl!, definition: localDefinition(ctx.publicUrl, 'referral-rebook'), reason: 'update' }),
    booked,
    cancelled,
    slimServiceRequest(ctx, p, 'active', [{ reference: booked.fullUrl, display: 'Booking' }]),
    slimSenderEncounter(p),
    slimPatient(p),
    p.ourOrg,
    p.theirOrg,
  ])
}

/**
 * The receiving service cancelled the booking (reception, with no new window): ours, in the
 * shape of the rebook message (same MessageDefinition) with only the cancelled Appointment, focus
 * on it. The referral itself stays open (docs/responses.md "Booking changes made at the desk").
 */
export function buildBookingCancelledResponse(ctx: TResponseContext, cancelled: TWindow): Bundle {
  const p = parts(ctx)
  const appt = appointment(ctx, p, cancelled, 'cancelled', { cancelationReason: { text: 'Cancelled by the receiving service' } })
  return bundle(ctx, [
    messageHeader(ctx, p, { focus: appt.fullUrl!, definition: localDefinition(ctx.publicUrl, 'referral-rebook'), reason: 'update' }),
    appt,
    slimServiceRequest(ctx, p, 'active'),
    slimSenderEncounter(p),
    slimPatient(p),
    p.ourOrg,
    p.theirOrg,
  ])
}

/**
 * Did not attend: the App 1 safeguarding DNA feedback (shape of REFRESP01) — the referral's
 * content echoed with the ServiceRequest `revoked` and an Appointment `noshow` for the window the
 * patient missed. Used for every DNA; only the safeguarding one is nationally defined.
 */
export function buildDnaFeedback(ctx: TResponseContext, missed: TWindow): Bundle {
  const p = parts(ctx)
  const noshow = appointment(ctx, p, missed, 'noshow', { description: 'Did not attend' })
  const srFullUrl = p.srEntry?.fullUrl ?? `urn:uuid:${ctx.referral.id}`
  const entries: BundleEntry[] = []
  for (const e of ctx.request.entry ?? []) {
    const r = e.resource
    if (!r || r.resourceType === 'MessageHeader') continue
    if (e === p.srEntry) {
      const copy = copyEntry<ServiceRequest>(e, ctx.referral.id)!
      copy.resource!.status = 'revoked'
      copy.resource!.meta = { ...copy.resource!.meta, lastUpdated: ctx.now }
      entries.push(copy)
      continue
    }
    // A previous booking is replaced by the noshow Appointment.
    if (r.resourceType === 'Appointment') continue
    entries.push(copyEntry(e)!)
  }
  if (!entries.some((e) => e.fullUrl === p.ourOrg.fullUrl)) entries.push(p.ourOrg)
  if (!entries.some((e) => e.fullUrl === p.theirOrg.fullUrl)) entries.push(p.theirOrg)
  const srIndex = entries.findIndex((e) => e.fullUrl === srFullUrl)
  entries.splice(srIndex >= 0 ? srIndex + 1 : 0, 0, noshow)
  return bundle(ctx, [messageHeader(ctx, p, { focus: srFullUrl, definition: MESSAGE_DEFINITIONS.referralResponse, reason: 'new' }), ...entries])
}

/** The window the patient missed: the booking when there is one, else the referral's own period. */
export function missedWindow(request: Bundle, booking: TWindow | undefined, fallback: { start: string; end: string }): TWindow {
  if (booking) return booking
  const sr = resourcesOfType(request, 'ServiceRequest')[0]
  const start = sr?.occurrencePeriod?.start ?? fallback.start
  const end = sr?.occurrencePeriod?.end ?? fallback.end
  return Date.parse(end) > Date.parse(start) ? { start, end } : fallback
}
