import { can } from '@/lib/auth/permissions'
import { validationQueries } from './validation-repository'

/** A clinician whose home service is a CAS lands on the validation queue (null: the usual home). */
export async function landingFor(user: { id: string; roles: string[] }): Promise<string | null> {
  if (!can(user.roles, 'referrals:read')) return null
  return (await validationQueries.homeServiceKind(user.id)) === 'CAS' ? '/validations' : null
}
