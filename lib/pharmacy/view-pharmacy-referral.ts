import type { TPharmacyDetail } from '@/lib/bars/pharmacy-referral'
import { AppError } from '@/lib/errors/app-error'
import { toItem, type TPharmacyItem } from './list-pharmacy-worklist'
import { pharmacyRepository } from './pharmacy-repository'

export interface TPharmacyView extends TPharmacyItem {
  detail: TPharmacyDetail
  birthDate: string | null
  postcode: string | null
  receivedAt: string
  cancelReason: string | null
  outcomeNote: string | null
  outcomeAt: string | null
  outcomeBy: string | null
  closedAt: string | null
  closedBy: string | null
  contactAttempts: { id: string; method: string; result: string; note: string | null; at: string; by: string }[]
}

/** One pharmacy referral with everything the pharmacist is shown, its contact attempts and outcome. */
export async function viewPharmacyReferral(id: string, now = new Date()): Promise<TPharmacyView> {
  const r = await pharmacyRepository.get(id)
  if (!r) throw new AppError('not-found', 'No pharmacy referral has this id.')
  const names = await pharmacyRepository.staffNames([r.outcomeById, r.closedById, ...r.contactAttempts.map((a) => a.byId)].filter((x): x is string => !!x))
  return {
    ...toItem(r, now),
    detail: r.detail,
    birthDate: r.referral.patientBirthDate,
    postcode: r.referral.patientPostcode,
    receivedAt: r.referral.receivedAt.toISOString(),
    cancelReason: r.referral.cancelReason,
    outcomeNote: r.outcomeNote,
    outcomeAt: r.outcomeAt?.toISOString() ?? null,
    outcomeBy: r.outcomeById ? (names[r.outcomeById] ?? 'Unknown user') : null,
    closedAt: r.closedAt?.toISOString() ?? null,
    closedBy: r.closedById ? (names[r.closedById] ?? 'Unknown user') : null,
    contactAttempts: r.contactAttempts.map((a) => ({ id: a.id, method: a.method, result: a.result, note: a.note, at: a.at.toISOString(), by: names[a.byId] ?? 'Unknown user' })),
  }
}
