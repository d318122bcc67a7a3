import { actOnPharmacyReferral, type TPharmacyActor } from './act-on-pharmacy-referral'
import { pharmacyRepository } from './pharmacy-repository'

/** Close the referral once its outcome is recorded; it leaves the worklist and reads `completed` to the sender. */
export async function closePharmacyReferral(input: { referralId: string; version: number; actor: TPharmacyActor; now?: Date }) {
  const at = input.now ?? new Date()
  return actOnPharmacyReferral({
    referralId: input.referralId,
    action: 'pharmacy.close',
    actor: input.actor,
    expectedVersion: input.version,
    change: (tx) => pharmacyRepository.close(tx, { id: input.referralId, expectedVersion: input.version, byId: input.actor.userId, at }),
  })
}
