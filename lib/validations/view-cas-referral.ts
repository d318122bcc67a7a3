import { readCasContent, type TCasContent } from '@/lib/bars/cas-referral'
import { isUuid } from '@/lib/bars/headers'
import { AppError } from '@/lib/errors/app-error'
import { casReferralRepository } from './cas-referral-repository'
import { validationQueries } from './validation-repository'

export interface TCasReferralRow {
  id: string
  caseReference: string
  patient: string
  callBackBy: string | null
  safeguarding: boolean
}

const nameOf = (r: { patientGiven: string | null; patientFamily: string | null }) => [r.patientGiven, r.patientFamily?.toUpperCase()].filter(Boolean).join(' ') || 'Name not provided'

/** App 3 referrals waiting at the user's CAS, soonest call-back (occurrencePeriod.end) first (A3.11). */
export async function listCasReferrals(user: { id: string }): Promise<TCasReferralRow[]> {
  const all = await validationQueries.servicesOfKind('CAS')
  const home = await validationQueries.homeServiceOf(user.id)
  const services = home && all.some((s) => s.id === home) ? all.filter((s) => s.id === home) : all
  const rows = await casReferralRepository.open(services.map((s) => s.id))
  return rows.map((r) => ({ id: r.id, caseReference: r.caseReference, patient: nameOf(r), callBackBy: r.deadline?.toISOString() ?? null, safeguarding: r.safeguarding }))
}

export interface TCasReferralView {
  id: string
  caseReference: string
  state: string
  fhirStatus: string
  cancelReason: string | null
  patient: { name: string; nhsNumber: string | null; birthDate: string | null }
  senderName: string | null
  callBackBy: string | null
  receivedAt: string
  safeguarding: boolean
  content: TCasContent
}

/** One App 3 referral as a CAS clinician needs it: the 999 content of its current version. */
export async function viewCasReferral(id: string): Promise<TCasReferralView> {
  const r = isUuid(id) ? await casReferralRepository.one(id) : null
  if (!r) throw new AppError('not-found', 'No such 999 referral.')
  return {
    id: r.id,
    caseReference: r.caseReference,
    state: r.state,
    fhirStatus: r.fhirStatus,
    cancelReason: r.cancelReason,
    patient: { name: nameOf(r), nhsNumber: r.patientNhsNumber, birthDate: r.patientBirthDate },
    senderName: r.senderName,
    callBackBy: r.deadline?.toISOString() ?? null,
    receivedAt: r.receivedAt.toISOString(),
    safeguarding: r.safeguarding,
    content: readCasContent(r.bundle),
  }
}
