import { can, homeFor } from '@/lib/auth/permissions'
import { pharmacyRepository } from './pharmacy-repository'

/** Where a user lands: a pharmacist (home service a community pharmacy) on the pharmacy worklist. */
export async function homeScreenFor(user: { id: string; roles: readonly string[] }): Promise<string> {
  if (can(user.roles, 'referrals:read') && (await pharmacyRepository.homeIsPharmacy(user.id))) return '/pharmacy'
  return homeFor(user.roles)
}
