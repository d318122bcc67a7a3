import type { TPharmacyOutcome } from '@/lib/bars/pharmacy-referral'
import { actOnPharmacyReferral, type TPharmacyActor } from './act-on-pharmacy-referral'
import { pharmacyRepository } from './pharmacy-repository'

/**
 * The consultation outcome. No BaRS message goes back (App 5 defines none, A5.17): the outcome is
 * kept here, for the GP to be told through GP Connect Update Record (not connected).
 */
export async function recordPharmacyOutcome(input: { referralId: string; version: number; outcome: TPharmacyOutcome; note?: string; actor: TPharmacyActor; now?: Date }) {
  const at = input.now ?? new Date()
  return actOnPharmacyReferral({
    referralId: input.referralId,
    action: 'pharmacy.outcome',
    actor: input.actor,
    expectedVersion: input.version,
    detail: { outcome: input.outcome },
    change: (tx) => pharmacyRepository.recordOutcome(tx, { id: input.referralId, expectedVersion: input.version, outcome: input.outcome, note: input.note, byId: input.actor.userId, at }),
  })
}
