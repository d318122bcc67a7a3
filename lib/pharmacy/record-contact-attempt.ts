import type { CONTACT_METHODS, CONTACT_RESULTS } from '@/lib/bars/pharmacy-referral'
import { actOnPharmacyReferral, type TPharmacyActor } from './act-on-pharmacy-referral'
import { pharmacyRepository } from './pharmacy-repository'

/** The pharmacy tried to reach the patient (A5.9: when the referral worries the pharmacist). */
export async function recordContactAttempt(input: {
  referralId: string
  method: (typeof CONTACT_METHODS)[number]
  result: (typeof CONTACT_RESULTS)[number]
  note?: string
  actor: TPharmacyActor
  now?: Date
}) {
  const at = input.now ?? new Date()
  return actOnPharmacyReferral({
    referralId: input.referralId,
    action: 'pharmacy.contact-attempt',
    actor: input.actor,
    detail: { method: input.method, result: input.result },
    change: (tx) => pharmacyRepository.addContactAttempt(tx, { id: input.referralId, method: input.method, result: input.result, note: input.note, byId: input.actor.userId, at }),
  })
}
