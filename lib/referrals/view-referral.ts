import type { Bundle } from '@medplum/fhirtypes'
import { auditRepository } from '@/lib/audit/audit-repository'
import { AppError } from '@/lib/errors/app-error'
import { referralQueries } from './referral-repository'

/** A clinician opens a referral: the record with every version, and one audit row for the view. */
export async function viewReferral(id: string, viewer: { userId: string; ip?: string }) {
  const referral = /^[0-9a-f-]{36}$/i.test(id) ? await referralQueries.getWithLatestVersion(id) : null
  if (!referral) throw new AppError('not-found', 'No such referral.')
  await auditRepository.record({
    actorType: 'USER',
    actorId: viewer.userId,
    action: 'referral.view',
    entityType: 'Referral',
    entityId: referral.id,
    patientNhs: referral.patientNhsNumber ?? undefined,
    outcome: 'success',
    ip: viewer.ip,
  })
  const latest = referral.versions[0]
  return { referral, bundle: (latest?.bundle ?? null) as Bundle | null }
}
