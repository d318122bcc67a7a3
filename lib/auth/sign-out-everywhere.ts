import { auditRepository } from '@/lib/audit/audit-repository'
import { AppError } from '@/lib/errors/app-error'
import { staffRepository } from './staff-repository'

/** End every session of a user on every device and app instance (the user themself, or an admin). */
export async function signOutEverywhere(userId: string, by: { userId: string; ip?: string; requestId?: string }): Promise<{ ended: number }> {
  if (!/^[0-9a-f-]{36}$/i.test(userId) || !(await staffRepository.exists(userId))) throw new AppError('not-found', 'No such user.')
  const ended = await staffRepository.revokeAllSessions(userId)
  await auditRepository.record({
    actorType: 'USER',
    actorId: by.userId,
    action: 'auth.sign-out-everywhere',
    entityType: 'StaffUser',
    entityId: userId,
    outcome: 'success',
    ip: by.ip,
    requestId: by.requestId,
    detail: { ended },
  })
  return { ended }
}
