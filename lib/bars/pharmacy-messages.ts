/**
 * Fresh copies of the real App 5 example (REFREQ03, GP → Community Pharmacy, minor illness) made new
 * the way a sender would, for tests, the simulator and the conformance suite: a new Bundle.id,
 * `meta.lastUpdated` = now, the 24-hour window starting now, the destination (MessageHeader and the
 * HealthcareService) set to the pharmacy, and optionally the real reasonable-adjustment Flags of the
 * examples (FLA02, FLA03), which REFREQ03 itself does not carry.
 */
import type { Bundle, Flag, MessageHeader, Patient, ServiceRequest } from '@medplum/fhirtypes'
import fla02 from './__fixtures__/examples/FLA02_Flag_Reasonable_Adjustment.json'
import fla03 from './__fixtures__/examples/FLA03_Flag_Reasonable_Adjustment2.json'
import refreq03 from './__fixtures__/examples/REFREQ03_Referral_Service_Request_New_Full_Primary_Care_to_Community_Pharmacy_Minor_Illness.json'
import { freshReferralCancel } from './example-messages'
import { SYSTEMS } from './identifiers'

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
export function freshPharmacyReferral(opts: { now: Date; dosId?: string; patient?: TPharmacyPatient; reasonableAdjustments?: boolean }): Bundle {
  const bundle = structuredClone(refreq03) as Bundle
  const stamp = opts.now.toISOString()
  bundle.id = crypto.randomUUID()
  bundle.timestamp = stamp
  bundle.meta = { ...bundle.meta, lastUpdated: stamp }
  for (const e of bundle.entry ?? []) e.resource!.meta = { ...e.resource!.meta, lastUpdated: stamp }
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
    for (const example of [fla02, fla03]) {
      const flag = { ...(structuredClone(example) as Flag), subject: { reference: patientUrl }, meta: { ...example.meta, lastUpdated: stamp } }
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
export function freshPharmacyCancel(opts: { now: Date; dosId?: string; serviceRequestId?: string; patient?: TPharmacyPatient; reason?: string }): Bundle {
  const bundle = freshReferralCancel({ now: opts.now, useCase: 'a5t1', serviceRequestId: opts.serviceRequestId, reason: opts.reason ?? 'Patient no longer needs the pharmacy' })
  setDestination(bundle, opts.dosId ?? DEMO_PHARMACY_DOS_ID)
  setPatient(bundle, opts.patient)
  return bundle
}

/** What App 5 forbids (A5.4, Q22): a content update (reason `update`, ServiceRequest still `active`). */
export function freshPharmacyUpdate(opts: { now: Date; dosId?: string; serviceRequestId?: string; patient?: TPharmacyPatient }): Bundle {
  const bundle = freshPharmacyReferral(opts)
  const header = entryOf<MessageHeader>(bundle, 'MessageHeader')
  header.reason = { coding: [{ system: SYSTEMS.messageReason, code: 'update' }] }
  const sr = entryOf<ServiceRequest>(bundle, 'ServiceRequest')
  if (opts.serviceRequestId) sr.id = opts.serviceRequestId
  return bundle
}
