import { auditRepository } from '@/lib/audit/audit-repository'
import { inTransaction, type Tx } from '@/lib/db/transaction'
import { AppError } from '@/lib/errors/app-error'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { pharmacyRepository } from './pharmacy-repository'

export interface TPharmacyActor {
  userId: string
  ip?: string
}

/**
 * Runs one pharmacist action in a transaction: the conditional UPDATE (`change`, false = refused),
 * then the audit row and the live event, all committed together. When the change is refused, the
 * reason is read back to say why (the database already decided; this only words the answer).
 */
export async function actOnPharmacyReferral(input: {
  referralId: string
  action: string
  actor: TPharmacyActor
  expectedVersion?: number
  detail?: Record<string, unknown>
  change: (tx: Tx) => Promise<boolean>
}): Promise<{ version: number; status: string }> {
  return inTransaction(async (tx) => {
    const before = await pharmacyRepository.forAction(tx, input.referralId)
    if (!before) throw new AppError('not-found', 'No pharmacy referral has this id.')
    const ok = await input.change(tx)
    if (!ok) {
      const now = await pharmacyRepository.forAction(tx, input.referralId)
      if (now && now.referral.fhirStatus !== 'active' && now.status !== 'CLOSED') throw new AppError('conflict', 'The GP practice has cancelled this referral; nothing was changed.')
      if (now?.status === 'CLOSED') throw new AppError('conflict', 'This referral is already closed; nothing was changed.')
      if (input.expectedVersion !== undefined && now && now.version !== input.expectedVersion) {
        throw new AppError('stale-version', 'Someone else changed this referral since you opened it. Review it and try again.')
      }
      throw new AppError('conflict', 'Record the consultation outcome before closing the referral.')
    }
    const after = (await pharmacyRepository.forAction(tx, input.referralId))!
    await auditRepository.record(
      {
        actorType: 'USER', actorId: input.actor.userId, action: input.action, entityType: 'Referral', entityId: input.referralId,
        patientNhs: after.referral.patientNhsNumber ?? undefined, outcome: 'success', ip: input.actor.ip, detail: input.detail,
      },
      tx,
    )
    await liveEventRepository.publish(tx, 'referral.updated', after.serviceId, input.referralId)
    return { version: after.version, status: after.status }
  })
}
