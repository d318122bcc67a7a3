import { auditRepository } from '@/lib/audit/audit-repository'
import { env } from '@/lib/env'
import { parseRoleMap, rolesFromClaims } from './role-claims'
import { staffRepository } from './staff-repository'

export type TOidcSignInResult = { ok: true; userId: string; sessionId: string } | { ok: false; reason: 'no-email' | 'no-role' | 'inactive' }

/**
 * Sign-in through the OpenID Connect provider (NHS CIS2 in production): the provider has
 * authenticated the person; we map its role claims to our roles (no mapped role → refused), keep the
 * staff user in step, and open a database session like password sign-in does.
 */
export async function signInWithOidc(profile: Record<string, unknown>, ip?: string): Promise<TOidcSignInResult> {
  const e = env()
  const email = typeof profile.email === 'string' ? profile.email : undefined
  const subject = typeof profile.sub === 'string' ? profile.sub : undefined
  if (!email) {
    await auditRepository.record({ actorType: 'USER', action: 'auth.sign-in.oidc', outcome: 'failure', ip, detail: { reason: 'no-email', subject } })
    return { ok: false, reason: 'no-email' }
  }
  const roles = rolesFromClaims(profile, e.OIDC_ROLE_CLAIM, parseRoleMap(e.OIDC_ROLE_MAP))
  if (roles.length === 0) {
    await auditRepository.record({ actorType: 'USER', action: 'auth.sign-in.oidc', outcome: 'failure', ip, detail: { reason: 'no-role', subject } })
    return { ok: false, reason: 'no-role' }
  }
  const name = [profile.name, [profile.given_name, profile.family_name].filter(Boolean).join(' ')].find((n): n is string => typeof n === 'string' && n.trim() !== '') ?? email
  const user = await staffRepository.upsertFromIdentityProvider({ email, name, roles })
  if (!user.active) {
    await auditRepository.record({ actorType: 'USER', actorId: user.id, action: 'auth.sign-in.oidc', outcome: 'failure', ip, detail: { reason: 'inactive' } })
    return { ok: false, reason: 'inactive' }
  }
  const session = await staffRepository.createSession(user.id)
  await auditRepository.record({ actorType: 'USER', actorId: user.id, action: 'auth.sign-in.oidc', outcome: 'success', ip, detail: { subject, roles } })
  return { ok: true, userId: user.id, sessionId: session.id }
}
