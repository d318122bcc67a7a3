/**
 * Fresh copies of the real App 5 example (REFREQ03, GP → Community Pharmacy, minor illness) made new
 * the way a sender would, for tests, the simulator and the conformance suite: a new Bundle.id,
 * `meta.lastUpdated` = now, the 24-hour window starting now, the destination (MessageHeader and the
 * HealthcareService) set to the pharmacy, and optionally the real reasonable-adjustment Flags of the
 * examples (FLA02, FLA03), which REFREQ03 itself does not carry.
 */
import type { Bundle, Flag, MessageHeader, Patient, ServiceRequest } from '@medplum/fhirtypes'
import { SYSTEMS } from './identifiers'

/**
 * The real examples these copies are made from, passed in so that this file imports no JSON (the
 * Playwright specs load them with fs; lib/bars/pharmacy-examples.ts with JSON imports).
 */
export interface TPharmacyExamples {
  /** REFREQ03_Referral_Service_Request_New_Full_Primary_Care_to_Community_Pharmacy_Minor_Illness.json */
  refreq03: unknown
  /** FLA02_Flag_Reasonable_Adjustment.json, FLA03_Flag_Reasonable_Adjustment2.json */
  fla02: unknown
  fla03: unknown
  /** SERVREQ01_Service_Request_Update_Revoked.json */
  servreq01: unknown
}

export const PHARMACY_EXAMPLE_FILES: Record<keyof TPharmacyExamples, string> = {
  refreq03: 'REFREQ03_Referral_Service_Request_New_Full_Primary_Care_to_Community_Pharmacy_Minor_Illness.json',
  fla02: 'FLA02_Flag_Reasonable_Adjustment.json',
  fla03: 'FLA03_Flag_Reasonable_Adjustment2.json',
  servreq01: 'SERVREQ01_Service_Request_Update_Revoked.json',
}

function refresh(bundle: Bundle, now: Date): Bundle {
  const stamp = now.toISOString()
  bundle.id = crypto.randomUUID()
  bundle.timestamp = stamp
  bundle.meta = { ...bundle.meta, lastUpdated: stamp }
  for (const e of bundle.entry ?? []) e.resource!.meta = { ...e.resource!.meta, lastUpdated: stamp }
  return bundle
}

export const DEMO_PHARMACY_DOS_ID = '666666666'

const entryOf = <T>(bundle: Bundle, type: string): T => bundle.entry!.find((e) => e.resource?.resourceType === type)!.resource as T

export interface TPharmacyPatient {
  nhsNumber?: string
  family?: string
  given?: string
}

function setPatient(bundle: Bundle, p: TPharmacyPatient | undefined) {
  if (!p) return
  const patient = entryOf<Patient>(bundle, 'Patient')
  if (p.nhsNumber) patient.identifier = patient.identifier?.map((i) => (i.system === SYSTEMS.nhsNumber ? { ...i, value: p.nhsNumber } : i))
  if (p.family || p.given) {
    const given = p.given ?? patient.name?.[0]?.given?.[0] ?? 'Julie'
    const family = p.family ?? patient.name?.[0]?.family ?? 'Jones'
    patient.name = [{ use: 'official', family, given: [given], text: `${given} ${family}` }]
  }
}

function setDestination(bundle: Bundle, dosId: string) {
  const header = entryOf<MessageHeader>(bundle, 'MessageHeader')
  header.destination = (header.destination ?? []).map((d) => ({ ...d, endpoint: `https://fhir.nhs.uk/Id/dos-service-id|${dosId}` }))
}

/** REFREQ03 made new (reason `new`, ServiceRequest `active`, a5t1, Application version 1.0.0-beta as sent). */
export function buildPharmacyReferral(examples: TPharmacyExamples, opts: { now: Date; dosId?: string; patient?: TPharmacyPatient; reasonableAdjustments?: boolean }): Bundle {
  const bundle = refresh(structuredClone(examples.refreq03) as Bundle, opts.now)
  const stamp = opts.now.toISOString()
  const dosId = opts.dosId ?? DEMO_PHARMACY_DOS_ID
  setDestination(bundle, dosId)
  for (const e of bundle.entry ?? []) {
    if (e.resource?.resourceType !== 'HealthcareService') continue
    e.resource.identifier = [{ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: dosId }]
    e.resource.name = 'Community Pharmacy'
  }
  const sr = entryOf<ServiceRequest>(bundle, 'ServiceRequest')
  sr.authoredOn = stamp
  sr.occurrencePeriod = { start: stamp, end: new Date(opts.now.getTime() + 24 * 3_600_000).toISOString() }
  setPatient(bundle, opts.patient)
  if (opts.reasonableAdjustments) {
    const patientUrl = bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.fullUrl!
    for (const example of [examples.fla02, examples.fla03]) {
      const copy = structuredClone(example) as Flag
      const flag: Flag = { ...copy, subject: { reference: patientUrl }, meta: { ...copy.meta, lastUpdated: stamp } }
      delete flag.id
      bundle.entry!.push({ fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource: flag })
    }
  }
  return bundle
}

/**
 * The cancellation of an App 5 referral: the national cancellation example (SERVREQ01, reason
 * `update`, ServiceRequest `revoked`) as a5t1 referral to the pharmacy, naming our referral id when
 * the sender read it first. Patient as REFREQ03 (3478526985) unless given.
 */
export function buildPharmacyCancel(examples: TPharmacyExamples, opts: { now: Date; dosId?: string; serviceRequestId?: string; patient?: TPharmacyPatient; reason?: string }): Bundle {
  const bundle = refresh(structuredClone(examples.servreq01) as Bundle, opts.now)
  // SERVREQ01 is an App 4 validation cancel (TKW uses it for every Application): made an a5t1 referral.
  const sr = entryOf<ServiceRequest>(bundle, 'ServiceRequest')
  sr.meta = { ...sr.meta, profile: ['https://fhir.nhs.uk/StructureDefinition/BARSServiceRequest-request-referral'] }
  sr.category = [
    {
      coding: [
        { system: SYSTEMS.serviceRequestCategory, code: 'referral', display: 'Transfer of Care' },
        { system: SYSTEMS.useCases, code: 'a5t1', display: 'Primary Care to Community Pharmacy' },
      ],
    },
  ]
  if (opts.serviceRequestId) sr.id = opts.serviceRequestId
  sr.reasonCode = [{ text: opts.reason ?? 'Patient no longer needs the pharmacy' }]
  setDestination(bundle, opts.dosId ?? DEMO_PHARMACY_DOS_ID)
  setPatient(bundle, opts.patient)
  return bundle
}

/** What App 5 forbids (A5.4, Q22): a content update (reason `update`, ServiceRequest still `active`). */
export function buildPharmacyUpdate(examples: TPharmacyExamples, opts: { now: Date; dosId?: string; serviceRequestId?: string; patient?: TPharmacyPatient }): Bundle {
  const bundle = buildPharmacyReferral(examples, opts)
  const header = entryOf<MessageHeader>(bundle, 'MessageHeader')
  header.reason = { coding: [{ system: SYSTEMS.messageReason, code: 'update' }] }
  const sr = entryOf<ServiceRequest>(bundle, 'ServiceRequest')
  if (opts.serviceRequestId) sr.id = opts.serviceRequestId
  return bundle
}
