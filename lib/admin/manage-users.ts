import bcrypt from 'bcryptjs'
import { auditRepository } from '@/lib/audit/audit-repository'
import { staffRepository } from '@/lib/auth/staff-repository'
import { AppError } from '@/lib/errors/app-error'
import { assertUuid, rethrowDuplicate } from './admin-errors'
import type { TUserCreate, TUserUpdate } from './admin-schemas'
import type { TActor } from './manage-services'
import { userAdminRepository, type TUserAdminRecord } from './user-admin-repository'

const BCRYPT_ROUNDS = 12

export async function listUsers(): Promise<TUserAdminRecord[]> {
  return userAdminRepository.list()
}

export async function getUser(id: string): Promise<TUserAdminRecord> {
  assertUuid(id, 'user')
  const u = await userAdminRepository.get(id)
  if (!u) throw new AppError('not-found', 'No such user.')
  return u
}

export async function createUser(input: TUserCreate, by: TActor): Promise<{ id: string }> {
  const passwordHash = await bcrypt.hash(input.password, BCRYPT_ROUNDS)
  const u = await userAdminRepository
    .create({ email: input.email, name: input.name, roles: input.roles, passwordHash })
    .catch((e: unknown) => rethrowDuplicate(e, 'A user with this email address already exists.'))
  await auditRepository.record({ actorType: 'USER', actorId: by.userId, action: 'admin.user.create', entityType: 'StaffUser', entityId: u.id, outcome: 'success', ip: by.ip, requestId: by.requestId, detail: { roles: input.roles } })
  return u
}

/**
 * Change a user's name, roles, status or password. Role changes apply on their next request (roles
 * are read per request); deactivating ends all their sessions. Admins cannot lock themselves out.
 */
export async function updateUser(id: string, input: TUserUpdate, by: TActor): Promise<TUserAdminRecord> {
  const before = await getUser(id)
  if (id === by.userId && (!input.active || !input.roles.includes('ADMIN'))) {
    throw new AppError('conflict', 'You cannot remove your own admin role or deactivate your own account. Ask another administrator.')
  }
  if (before.active && before.roles.includes('ADMIN') && (!input.active || !input.roles.includes('ADMIN')) && (await userAdminRepository.countActiveAdmins()) <= 1) {
    throw new AppError('conflict', 'This is the last active administrator. Give another user the admin role first.')
  }
  const passwordHash = input.password ? await bcrypt.hash(input.password, BCRYPT_ROUNDS) : undefined
  await userAdminRepository.update(id, { name: input.name, roles: input.roles, active: input.active, passwordHash, unlock: input.unlock })
  const ended = !input.active || passwordHash ? await staffRepository.revokeAllSessions(id) : 0
  await auditRepository.record({
    actorType: 'USER',
    actorId: by.userId,
    action: 'admin.user.update',
    entityType: 'StaffUser',
    entityId: id,
    outcome: 'success',
    ip: by.ip,
    requestId: by.requestId,
    detail: { roles: input.roles, active: input.active, passwordReset: Boolean(passwordHash), unlocked: input.unlock, sessionsEnded: ended },
  })
  return getUser(id)
}
