/**
 * The App 4 messages a CAS sends back to the 999 requester (role reversal): the interim validation
 * response (accepted → our Encounter in-progress, A4.20–A4.24; rejected → cancelled with a
 * rejected-reasons-bars code, A4.25) and the full validation response (A4.30–A4.41). Pure: built
 * from the stored request bundle (the current version) and the case's ids.
 * Shapes follow VALRESP01A / VALRESP04 / VALRESP01B / VALRESP03 with the choices in README
 * "App 4: contradictions resolved" (Q4–Q9, Q14, Q15).
 */
import type { Bundle, BundleEntry, CarePlan, CodeableConcept, Encounter, Flag, Location, MessageHeader, Resource, ServiceRequest } from '@medplum/fhirtypes'
import { z } from 'zod'
import { ARP_DISPLAY, isUpgrade, SCENE_SAFETY_DISPLAY } from './cas-referral'
import { SYSTEMS } from './identifiers'
import { MESSAGE_DEFINITION_URLS } from './message-definitions'
import { REJECTED_REASONS, REJECTED_REASONS_SYSTEM, type TRejectedReason } from './referral-state'

export const ENCOUNTER_REASON_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/message-reason-encounter'
export const ARP_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/arp-priority-codes'
export const SCENE_SAFETY_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/scene-safety-codes-bars'
/** The OID VALRESP03 uses for the CAD case reference of the third Encounter (Q14: undocumented; the default). */
export const CAD_REFERENCE_SYSTEM = 'urn:oid:2.16.840.1.113883.2.1.3.2.4.18.20'

const PROFILE = {
  bundle: 'https://fhir.nhs.uk/StructureDefinition/BARSBundleMessage',
  header: 'https://fhir.nhs.uk/StructureDefinition/BARSMessageHeader-servicerequest-response',
  encounter: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter',
  carePlan: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-CarePlan',
  organization: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization',
} as const

export interface TValidationResponseContext {
  /** The stored request bundle of the case's current version, as received. */
  request: Bundle
  validation: {
    /** Our ServiceRequest id. */
    id: string
    /** Our Encounter id: planned in the sync reply, the focus of every response (A4.7). */
    encounterId: string
    caseReference: string
    /** Bundle.id of the original request: response.identifier (A4.22; Q8 for the full response). */
    bundleId: string
    /** The requester's MessageHeader.source.endpoint: our destination (A4.52). */
    sourceEndpoint: string
    useCase: string
    /** When we acknowledged the request: our Encounter's period.start (A4.24). */
    acknowledgedAt: string
  }
  service: { dosServiceId: string; name: string; odsCode: string }
  publicUrl: string
  now: string
  /** A new Bundle.id per response. */
  bundleId: string
}

const uuidOf = (fullUrl: string | undefined) => /^urn:uuid:([0-9a-f-]{36})$/i.exec(fullUrl ?? '')?.[1]

/** A copy of a request entry with an id (request resources often carry none) and a fresh lastUpdated. */
function copyEntry(entry: BundleEntry, now: string, id?: string): BundleEntry {
  const resource = structuredClone(entry.resource!) as Resource
  resource.id = id ?? resource.id ?? uuidOf(entry.fullUrl) ?? crypto.randomUUID()
  resource.meta = { ...resource.meta, lastUpdated: now }
  return { fullUrl: entry.fullUrl ?? `urn:uuid:${resource.id}`, resource }
}

interface TParts {
  header?: MessageHeader
  srEntry?: BundleEntry
  sr?: ServiceRequest
  requesterEncounter?: BundleEntry
  journey?: Encounter['episodeOfCare']
  ourOrg?: BundleEntry
  theirOrg?: BundleEntry
}

function parts(ctx: TValidationResponseContext): TParts {
  const entries = ctx.request.entry ?? []
  const byUrl = (ref: string | undefined) => entries.find((e) => e.fullUrl === ref)
  const h = entries[0]?.resource
  const header = h?.resourceType === 'MessageHeader' ? h : undefined
  const srEntry = entries.find((e) => e.resource?.resourceType === 'ServiceRequest')
  const sr = srEntry?.resource?.resourceType === 'ServiceRequest' ? srEntry.resource : undefined
  const requesterEncounter = byUrl(sr?.encounter?.reference) ?? entries.find((e) => e.resource?.resourceType === 'Encounter')
  const enc = requesterEncounter?.resource?.resourceType === 'Encounter' ? requesterEncounter.resource : undefined
  const org = (ref: string | undefined) => {
    const e = byUrl(ref)
    return e?.resource?.resourceType === 'Organization' ? e : undefined
  }
  return {
    header,
    srEntry,
    sr,
    requesterEncounter,
    journey: enc?.episodeOfCare,
    ourOrg: org(header?.destination?.[0]?.receiver?.reference),
    theirOrg: org(header?.sender?.reference),
  }
}

function newOrganization(name: string, odsCode?: string): BundleEntry {
  const id = crypto.randomUUID()
  return {
    fullUrl: `urn:uuid:${id}`,
    resource: { resourceType: 'Organization', id, meta: { profile: [PROFILE.organization] }, ...(odsCode ? { identifier: [{ system: SYSTEMS.odsOrganisation, value: odsCode }] } : {}), name },
  }
}

function messageHeader(ctx: TValidationResponseContext, p: TParts, o: { focus: string; definition: string; reason: 'new' | 'update'; ourOrg: string; theirOrg: string }): BundleEntry {
  const id = crypto.randomUUID()
  const header: MessageHeader = {
    resourceType: 'MessageHeader',
    id,
    meta: { lastUpdated: ctx.now, profile: [PROFILE.header] },
    ...(p.header?.extension?.length ? { extension: structuredClone(p.header.extension) } : {}),
    eventCoding: { system: SYSTEMS.messageEvents, code: 'servicerequest-response' },
    // A4.52 / Q9: the endpoints are swapped (the national examples swap only the Organizations).
    destination: [{ endpoint: ctx.validation.sourceEndpoint, receiver: { reference: o.theirOrg } }],
    sender: { reference: o.ourOrg },
    source: { name: ctx.service.name, software: 'BaRS Inbox', version: '0.1.0', endpoint: `${SYSTEMS.dosServiceId}|${ctx.service.dosServiceId}` },
    reason: { coding: [{ system: SYSTEMS.messageReason, code: o.reason }] },
    response: { identifier: ctx.validation.bundleId, code: 'ok' },
    focus: [{ reference: o.focus }],
    definition: o.definition,
  }
  return { fullUrl: `urn:uuid:${id}`, resource: header }
}

function ourEncounter(ctx: TValidationResponseContext, p: TParts, status: Encounter['status'], reasonCode: CodeableConcept[], end?: string): BundleEntry {
  const patientRef = p.sr?.subject?.reference
  const resource: Encounter = {
    resourceType: 'Encounter',
    id: ctx.validation.encounterId,
    meta: { lastUpdated: ctx.now, profile: [PROFILE.encounter] },
    identifier: [{ system: `${ctx.publicUrl.replace(/\/$/, '')}/Id/case-number`, value: ctx.validation.caseReference }],
    status: status ?? 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' },
    ...(patientRef ? { subject: { reference: patientRef } } : {}),
    ...(p.journey ? { episodeOfCare: structuredClone(p.journey) } : {}),
    basedOn: [{ reference: p.srEntry?.fullUrl ?? `urn:uuid:${ctx.validation.id}` }],
    period: { start: ctx.validation.acknowledgedAt, ...(end ? { end } : {}) },
    reasonCode,
  }
  return { fullUrl: `urn:uuid:${ctx.validation.encounterId}`, resource }
}

const VALIDATION_REASON: CodeableConcept = { coding: [{ system: ENCOUNTER_REASON_SYSTEM, code: 'validation-triage-outcome', display: 'Validation of triage outcome' }] }

function bundle(ctx: TValidationResponseContext, entries: BundleEntry[]): Bundle {
  return {
    resourceType: 'Bundle',
    id: ctx.bundleId,
    // A4.55: the App 4 version of the conversation (the examples carry 1.1.0).
    meta: { versionId: ctx.request.meta?.versionId ?? '1.1.0', lastUpdated: ctx.now, profile: [PROFILE.bundle] },
    type: 'message',
    timestamp: ctx.now,
    entry: entries,
  }
}

/** The echoed ServiceRequest: our id, status stays `active` (A4.23, Q6). */
function echoedServiceRequest(ctx: TValidationResponseContext, p: TParts, keepRefs: ReadonlySet<string>): BundleEntry {
  const e = copyEntry(p.srEntry ?? { fullUrl: `urn:uuid:${ctx.validation.id}`, resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'plan', subject: {} } }, ctx.now, ctx.validation.id)
  const sr = e.resource as ServiceRequest
  sr.status = 'active'
  // Drop references to resources a response leaves out (the interim has no CarePlan or Location).
  if (sr.basedOn) sr.basedOn = sr.basedOn.filter((r) => keepRefs.has(r.reference ?? ''))
  if (!sr.basedOn?.length) delete sr.basedOn
  if (sr.locationReference) sr.locationReference = sr.locationReference.filter((r) => keepRefs.has(r.reference ?? ''))
  if (!sr.locationReference?.length) delete sr.locationReference
  if (sr.supportingInfo) sr.supportingInfo = sr.supportingInfo.filter((r) => keepRefs.has(r.reference ?? ''))
  if (!sr.supportingInfo?.length) delete sr.supportingInfo
  if (sr.performer) sr.performer = sr.performer.filter((r) => keepRefs.has(r.reference ?? ''))
  if (!sr.performer?.length) delete sr.performer
  return e
}

function orgs(ctx: TValidationResponseContext, p: TParts): { ours: BundleEntry; theirs: BundleEntry } {
  return {
    ours: p.ourOrg ? copyEntry(p.ourOrg, ctx.now) : newOrganization(ctx.service.name, ctx.service.odsCode),
    theirs: p.theirOrg ? copyEntry(p.theirOrg, ctx.now) : newOrganization('Requesting ambulance service'),
  }
}

const INTERIM_TYPES = new Set(['Patient', 'Practitioner', 'PractitionerRole', 'HealthcareService'])

/** Interim response: SR 1, Patient 1, Encounter 2..2, Organization ≥1, Practitioner ≥1, PractitionerRole ≥1, HealthcareService 0..* (A4.23). */
function interim(ctx: TValidationResponseContext, enc: BundleEntry): Bundle {
  const p = parts(ctx)
  const { ours, theirs } = orgs(ctx, p)
  const others = (ctx.request.entry ?? []).filter((e) => INTERIM_TYPES.has(e.resource?.resourceType ?? '')).map((e) => copyEntry(e, ctx.now))
  const keep = new Set([...others.map((e) => e.fullUrl!), ours.fullUrl!, theirs.fullUrl!])
  return bundle(ctx, [
    messageHeader(ctx, p, { focus: enc.fullUrl!, definition: MESSAGE_DEFINITION_URLS.validationResponseInterim, reason: 'new', ourOrg: ours.fullUrl!, theirOrg: theirs.fullUrl! }),
    echoedServiceRequest(ctx, p, keep),
    ...(p.requesterEncounter ? [copyEntry(p.requesterEncounter, ctx.now)] : []),
    enc,
    ...others,
    ours,
    theirs,
  ])
}

/** Interim accept (A4.20, A4.22–A4.24): our Encounter `in-progress`, reason validation-triage-outcome, no period.end. */
export function buildInterimAccept(ctx: TValidationResponseContext): Bundle {
  const p = parts(ctx)
  return interim(ctx, ourEncounter(ctx, p, 'in-progress', [VALIDATION_REASON]))
}

/** Interim reject (A4.21, A4.25): our Encounter `cancelled` with a rejected-reasons-bars code and the clinician's text. */
export function buildInterimReject(ctx: TValidationResponseContext, reason: { code: TRejectedReason; text: string }): Bundle {
  const p = parts(ctx)
  const concept: CodeableConcept = {
    coding: [{ system: REJECTED_REASONS_SYSTEM, code: reason.code, display: REJECTED_REASONS[reason.code] }],
    ...(reason.text.trim() ? { text: reason.text.trim() } : {}),
  }
  return interim(ctx, ourEncounter(ctx, p, 'cancelled', [concept], ctx.now))
}

// ---------------------------------------------------------------------------------------------
// The full validation response

export const ARP_CODES = ['C1', 'C2', 'C3', 'C4', 'C4T', 'C5', 'HCP1', 'HCP2', 'HCP3', 'HCP4', 'HP4T', 'IFT1', 'IFT2', 'IFT3', 'IFT4'] as const

/** What the clinician enters on the full-response form (the staff API parses it with this schema). */
export const ZFullResponse = z
  .object({
    /** A4.34: chosen explicitly; no default. */
    outcome: z.enum(['dispatch', 'no-further-action']),
    arpCode: z.enum(ARP_CODES),
    sgCode: z.string().trim().regex(/^SG\d{3,5}$/i, 'Enter a Pathways symptom group code such as SG1137').optional().or(z.literal('')),
    sdCode: z.string().trim().regex(/^SD\d{3,5}$/i, 'Enter a Pathways symptom discriminator code such as SD4033').optional().or(z.literal('')),
    dxCode: z.string().trim().regex(/^Dx\d{2,5}$/i, 'Enter a Pathways disposition code such as Dx0122').optional().or(z.literal('')),
    summary: z.string().trim().min(1, 'Enter the consultation summary').max(4000),
    sceneSafety: z.enum(['S', 'U', 'UNK']),
    /** Incident location as updated during the assessment (A4.39); empty = unchanged. */
    locationLine: z.string().trim().max(200).optional().or(z.literal('')),
    locationPostcode: z.string().trim().max(10).optional().or(z.literal('')),
    /** A4.37–A4.38: the CAD case reference the ambulance service returned over ITK (required for a C1/C2 upgrade). */
    cadReference: z.string().trim().max(64).regex(/^[A-Za-z0-9\-./]*$/, 'Enter the CAD reference as the ambulance service gave it').optional().or(z.literal('')),
    consentConfirmed: z.literal(true, { error: 'Confirm the patient consented to share this information for direct care' }),
  })
  .strict()
export type TFullResponse = z.infer<typeof ZFullResponse>

/** A C1/C2 validated category that raises the 999 triage needs the CAD reference (A4.37). */
export function needsCadReference(originalArp: string | undefined, validatedArp: string): boolean {
  return (validatedArp === 'C1' || validatedArp === 'C2') && (isUpgrade(originalArp, validatedArp) || !originalArp)
}

/**
 * A4.36 clock rule: same or lower category → the requester's original clock start (T5); higher →
 * the time we identified the new category. Q15: VALRESP03 keeps the original on a C2 upgrade; we
 * follow the rule, not the example.
 */
export function clockStartFor(originalArp: string | undefined, validatedArp: string, originalClockStart: string | undefined, identifiedAt: string): string {
  if (isUpgrade(originalArp, validatedArp)) return identifiedAt
  return originalClockStart ?? identifiedAt
}

const FULL_ECHO_TYPES = new Set(['Patient', 'Organization', 'Practitioner', 'PractitionerRole', 'Observation', 'Consent', 'MedicationStatement', 'AllergyIntolerance', 'HealthcareService'])

function isSceneSafetyFlag(f: Flag): boolean {
  return (f.category ?? []).some((c) => (c.coding ?? []).some((x) => /flag-categories-bars$/i.test(x.system ?? '') && x.code?.toUpperCase() === 'SS'))
}

export interface TFullResponseInput {
  form: TFullResponse
  /** An interim was sent before: reason `update`, else `new` (A4.31). */
  interimSent: boolean
  originalArp?: string
}

/**
 * Full validation response (A4.30–A4.41): SR 1 (active), Patient 1, Encounter 2..3, CarePlan 1
 * (active = dispatch required, completed = no further action, A4.34), Location 1, Organization ≥2,
 * Practitioner ≥1, PractitionerRole ≥1, Consent ≥1, HealthcareService 1, Flags/Observations echoed.
 */
export function buildFullResponse(ctx: TValidationResponseContext, input: TFullResponseInput): Bundle {
  const p = parts(ctx)
  const f = input.form
  const entries = ctx.request.entry ?? []
  const { ours, theirs } = orgs(ctx, p)
  const our = ourEncounter(ctx, p, 'finished', [VALIDATION_REASON], ctx.now)
  const patientRef = p.sr?.subject?.reference

  // Third Encounter: the ambulance case the 999 CAD raised for the upgrade (A4.37–A4.38).
  let cad: BundleEntry | undefined
  if (f.cadReference) {
    const id = crypto.randomUUID()
    const enc: Encounter = {
      resourceType: 'Encounter',
      id,
      meta: { lastUpdated: ctx.now, profile: [PROFILE.encounter] },
      identifier: [{ system: CAD_REFERENCE_SYSTEM, value: f.cadReference }],
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' },
      ...(patientRef ? { subject: { reference: patientRef } } : {}),
      ...(p.journey ? { episodeOfCare: structuredClone(p.journey) } : {}),
      period: { start: ctx.now },
    }
    cad = { fullUrl: `urn:uuid:${id}`, resource: enc }
  }

  // CarePlan: the validated outcome (A4.34–A4.36).
  const cpEntry = entries.find((e) => e.resource?.resourceType === 'CarePlan')
  const cpId = cpEntry?.resource?.id ?? uuidOf(cpEntry?.fullUrl) ?? crypto.randomUUID()
  const originalCp = cpEntry?.resource?.resourceType === 'CarePlan' ? cpEntry.resource : undefined
  const concepts: CodeableConcept[] = []
  const pathways = (kind: string, code: string | undefined) =>
    code ? concepts.push({ coding: [{ system: `https://fhir.nhs.uk/CodeSystem/pathways-${kind}-codes`, code: kind === 'dx' ? `Dx${code.slice(2)}` : code.toUpperCase() }] }) : undefined
  pathways('sd', f.sdCode || undefined)
  pathways('sg', f.sgCode || undefined)
  pathways('dx', f.dxCode || undefined)
  concepts.push({ coding: [{ system: ARP_SYSTEM, code: f.arpCode, display: ARP_DISPLAY[f.arpCode] }] })
  concepts.push({ text: f.summary })
  const carePlan: CarePlan = {
    resourceType: 'CarePlan',
    id: cpId,
    meta: { lastUpdated: ctx.now, profile: [PROFILE.carePlan] },
    status: f.outcome === 'dispatch' ? 'active' : 'completed',
    intent: 'plan',
    subject: { reference: patientRef ?? originalCp?.subject?.reference },
    encounter: { reference: our.fullUrl },
    period: { start: clockStartFor(input.originalArp, f.arpCode, originalCp?.period?.start, ctx.now) },
    activity: [{ outcomeCodeableConcept: concepts, ...(cad ? { outcomeReference: [{ reference: cad.fullUrl }] } : {}) }],
  }
  const cp: BundleEntry = { fullUrl: cpEntry?.fullUrl ?? `urn:uuid:${cpId}`, resource: carePlan }

  // Location: updated if changed, else the original (A4.39).
  const srLoc = p.sr?.locationReference?.[0]?.reference
  const locEntry = entries.find((e) => e.fullUrl === srLoc) ?? entries.find((e) => e.resource?.resourceType === 'Location')
  let location: BundleEntry
  if (locEntry) location = copyEntry(locEntry, ctx.now)
  else {
    const id = crypto.randomUUID()
    location = { fullUrl: `urn:uuid:${id}`, resource: { resourceType: 'Location', id, meta: { lastUpdated: ctx.now }, name: 'Incident location' } }
  }
  if (f.locationLine || f.locationPostcode) {
    const loc = location.resource as Location
    loc.address = { ...(f.locationLine ? { line: [f.locationLine] } : {}), ...(f.locationPostcode ? { postalCode: f.locationPostcode.toUpperCase() } : {}) }
    delete loc.position
    delete loc.extension
  }

  // Flags: the original ones, scene safety as assessed (A4.40).
  const flags: BundleEntry[] = []
  let sceneFlagSeen = false
  for (const e of entries) {
    if (e.resource?.resourceType !== 'Flag') continue
    const copy = copyEntry(e, ctx.now)
    const flag = copy.resource as Flag
    if (isSceneSafetyFlag(flag)) {
      sceneFlagSeen = true
      flag.code = { coding: [{ system: SCENE_SAFETY_SYSTEM, code: f.sceneSafety, display: SCENE_SAFETY_DISPLAY[f.sceneSafety] }] }
      flag.subject = { reference: location.fullUrl }
      flag.encounter = { reference: our.fullUrl }
    } else if (flag.encounter?.reference && !entries.some((x) => x.fullUrl === flag.encounter!.reference)) {
      delete flag.encounter
    }
    flags.push(copy)
  }
  if (!sceneFlagSeen) {
    const id = crypto.randomUUID()
    const flag: Flag = {
      resourceType: 'Flag',
      id,
      meta: { lastUpdated: ctx.now, profile: ['http://hl7.org/fhir/StructureDefinition/Flag', 'https://fhir.nhs.uk/StructureDefinition/BARSFlag-scene-safety'] },
      status: 'active',
      category: [{ coding: [{ system: SYSTEMS.flagCategories, code: 'SS', display: 'Scene Safety' }] }],
      code: { coding: [{ system: SCENE_SAFETY_SYSTEM, code: f.sceneSafety, display: SCENE_SAFETY_DISPLAY[f.sceneSafety] }] },
      subject: { reference: location.fullUrl },
      encounter: { reference: our.fullUrl },
    }
    flags.push({ fullUrl: `urn:uuid:${id}`, resource: flag })
  }

  const echoed = entries
    .filter((e) => FULL_ECHO_TYPES.has(e.resource?.resourceType ?? '') && e.fullUrl !== p.ourOrg?.fullUrl && e.fullUrl !== p.theirOrg?.fullUrl)
    .map((e) => copyEntry(e, ctx.now))
  const keep = new Set([...echoed, location, cp, ours, theirs].map((e) => e.fullUrl!))
  const sr = echoedServiceRequest(ctx, p, keep)

  return bundle(ctx, [
    messageHeader(ctx, p, {
      focus: our.fullUrl!,
      definition: MESSAGE_DEFINITION_URLS.validationResponseFull,
      reason: input.interimSent ? 'update' : 'new',
      ourOrg: ours.fullUrl!,
      theirOrg: theirs.fullUrl!,
    }),
    sr,
    ...(p.requesterEncounter ? [copyEntry(p.requesterEncounter, ctx.now)] : []),
    our,
    ...(cad ? [cad] : []),
    cp,
    location,
    ours,
    theirs,
    ...echoed,
    ...flags,
  ])
}

/**
 * The `use-context` header of a validation response (A4.51): `<usecase>|validation|servicerequest-response|<reason>`.
 * Undefined for any bundle that is not an App 4 validation response.
 */
export function validationUseContext(b: Bundle): string | undefined {
  const h = b.entry?.[0]?.resource
  if (h?.resourceType !== 'MessageHeader') return undefined
  const def = h.definition ?? ''
  if (def !== MESSAGE_DEFINITION_URLS.validationResponseInterim && def !== MESSAGE_DEFINITION_URLS.validationResponseFull) return undefined
  const sr = b.entry?.find((e) => e.resource?.resourceType === 'ServiceRequest')?.resource
  const useCase = (sr?.resourceType === 'ServiceRequest' ? sr.category ?? [] : [])
    .flatMap((c) => c.coding ?? [])
    .find((c) => /usecases?-categories-bars$/i.test(c.system ?? ''))
    ?.code?.toLowerCase()
  const reason = h.reason?.coding?.[0]?.code ?? 'new'
  return `${useCase ?? 'a4t1'}|validation|servicerequest-response|${reason}`
}
