import { formatNhsNumber } from '@/lib/bars/identifiers'
import { orgTypeLabel, type TPharmacyOutcome } from '@/lib/bars/pharmacy-referral'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { ageInYears } from '@/lib/time/age'
import { pharmacyRepository, type TPharmacyRow, type TPharmacyTab } from './pharmacy-repository'

/** One worklist row as the browser gets it (JSON: instants as ISO strings). */
export interface TPharmacyItem {
  id: string
  caseReference: string
  patientName: string
  nhsNumber: string | null
  age: number | null
  guideTime: string
  guideTimeSource: string
  referringOrg: { name: string | null; odsCode: string | null; type: string }
  condition: string | null
  serviceRequested: string | null
  adjustments: string[]
  otherFlags: string[]
  contact: string | null
  consent: string | null
  status: string
  outcome: TPharmacyOutcome | null
  cancelled: boolean
  version: number
  service: string
}

export interface TPharmacyQuery {
  tab?: string
  q?: string
  /** A pharmacy's DoS id; every pharmacy when absent. */
  service?: string
}

export interface TPharmacyWorklist {
  items: TPharmacyItem[]
  /** The live-event cursor the list is at least as new as. */
  cursor: string
  services: { dosServiceId: string; name: string }[]
}

export function tabOf(value: string | undefined): TPharmacyTab {
  return value === 'closed' || value === 'cancelled' ? value : 'open'
}

export function toItem(r: TPharmacyRow, now: Date): TPharmacyItem {
  const d = r.detail
  const name = [r.referral.patientGiven, r.referral.patientFamily?.toUpperCase()].filter(Boolean).join(' ')
  const firstPhone = d.contacts.flatMap((c) => c.telecom).find((t) => t.system === 'phone')
  return {
    id: r.referralId,
    caseReference: r.referral.caseReference,
    patientName: name || 'Name not provided',
    nhsNumber: formatNhsNumber(r.referral.patientNhsNumber) ?? null,
    age: ageInYears(r.referral.patientBirthDate, now) ?? null,
    guideTime: r.guideTime.toISOString(),
    guideTimeSource: r.guideTimeSource,
    referringOrg: { name: d.referringOrganisation.name ?? null, odsCode: d.referringOrganisation.odsCode ?? null, type: orgTypeLabel(d.referringOrganisation) },
    condition: d.condition ?? null,
    serviceRequested: d.serviceRequested ?? null,
    adjustments: d.flags.filter((f) => f.reasonableAdjustment).map((f) => f.description),
    otherFlags: d.flags.filter((f) => !f.reasonableAdjustment).map((f) => `${f.category}: ${f.description}`),
    contact: firstPhone?.value ?? null,
    consent: d.consent ?? null,
    status: r.status,
    outcome: r.outcome,
    cancelled: r.referral.fhirStatus === 'revoked' || r.referral.fhirStatus === 'entered-in-error',
    version: r.version,
    service: r.referral.service.name,
  }
}

/** The pharmacist's worklist: open referrals soonest guide time first; search by name or NHS number. */
export async function listPharmacyWorklist(query: TPharmacyQuery, now = new Date()): Promise<TPharmacyWorklist> {
  const cursor = await liveEventRepository.latestId()
  const services = await pharmacyRepository.pharmacies()
  const chosen = query.service ? services.filter((s) => s.dosServiceId === query.service) : services
  const rows = await pharmacyRepository.list({ serviceIds: chosen.map((s) => s.id), tab: tabOf(query.tab), q: query.q })
  return { items: rows.map((r) => toItem(r, now)), cursor, services: services.map((s) => ({ dosServiceId: s.dosServiceId, name: s.name })) }
}
