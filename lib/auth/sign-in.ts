import bcrypt from 'bcryptjs'
import { auditRepository } from '@/lib/audit/audit-repository'
import { staffRepository } from './staff-repository'

export const LOCK_AFTER_FAILURES = 5
export const LOCK_MINUTES = 15

export type TSignInResult =
  | { ok: true; user: { id: string; email: string; name: string; roles: string[] }; sessionId: string }
  | { ok: false; reason: 'invalid' | 'locked' }

// Compared against when the e-mail is unknown, so timing does not reveal which accounts exist.
const DUMMY_HASH = '$2b$10$.EyKR8E5jOxHAk8bZWC7meudesrFVYty3cBLwW1AjPnfycUJxgBty'

/** Check a password, with lockout after repeated failures; opens a database session on success. */
export async function signInWithPassword(email: string, password: string, ip?: string): Promise<TSignInResult> {
  const user = await staffRepository.findByEmail(email)
  if (!user || !user.active) {
    await bcrypt.compare(password, DUMMY_HASH)
    await auditRepository.record({ actorType: 'USER', action: 'auth.sign-in', outcome: 'failure', ip, detail: { reason: 'unknown-user' } })
    return { ok: false, reason: 'invalid' }
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    await auditRepository.record({ actorType: 'USER', actorId: user.id, action: 'auth.sign-in', outcome: 'failure', ip, detail: { reason: 'locked' } })
    return { ok: false, reason: 'locked' }
  }
  if (!(await bcrypt.compare(password, user.passwordHash))) {
    await staffRepository.recordFailure(user.id, LOCK_AFTER_FAILURES, LOCK_MINUTES)
    await auditRepository.record({ actorType: 'USER', actorId: user.id, action: 'auth.sign-in', outcome: 'failure', ip, detail: { reason: 'bad-password' } })
    return { ok: false, reason: 'invalid' }
  }
  await staffRepository.recordSuccess(user.id)
  const session = await staffRepository.createSession(user.id)
  await auditRepository.record({ actorType: 'USER', actorId: user.id, action: 'auth.sign-in', outcome: 'success', ip })
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, roles: user.roles }, sessionId: session.id }
}
