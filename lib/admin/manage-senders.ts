import { randomBytes } from 'node:crypto'
import { auditRepository } from '@/lib/audit/audit-repository'
import { AppError } from '@/lib/errors/app-error'
import { hashBearerToken } from '@/lib/senders/authenticate-sender'
import { assertUuid, rethrowDuplicate } from './admin-errors'
import type { TSenderInput } from './admin-schemas'
import type { TActor } from './manage-services'
import { senderAdminRepository, type TSenderAdminRecord, type TSenderWrite } from './sender-admin-repository'

export async function listSenders(): Promise<TSenderAdminRecord[]> {
  return senderAdminRepository.list()
}

export async function getSender(id: string): Promise<TSenderAdminRecord> {
  assertUuid(id, 'sender system')
  const s = await senderAdminRepository.get(id)
  if (!s) throw new AppError('not-found', 'No such sender system.')
  return s
}

function toWrite({ outboundToken, clearOutboundToken, ...rest }: TSenderInput): TSenderWrite {
  return { ...rest, outboundToken: clearOutboundToken ? null : outboundToken ? outboundToken : undefined }
}

const DUPLICATE = 'A sender system with this DoS service id already exists.'

export async function createSender(input: TSenderInput, by: TActor): Promise<TSenderAdminRecord> {
  const s = await senderAdminRepository.create(toWrite(input)).catch((e: unknown) => rethrowDuplicate(e, DUPLICATE))
  await auditRepository.record({ actorType: 'USER', actorId: by.userId, action: 'admin.sender.create', entityType: 'SenderSystem', entityId: s.id, outcome: 'success', ip: by.ip, requestId: by.requestId, detail: { dosServiceId: s.dosServiceId } })
  return s
}

export async function updateSender(id: string, input: TSenderInput, by: TActor): Promise<TSenderAdminRecord> {
  assertUuid(id, 'sender system')
  const s = await senderAdminRepository.update(id, toWrite(input)).catch((e: unknown) => rethrowDuplicate(e, DUPLICATE))
  if (!s) throw new AppError('not-found', 'No such sender system.')
  await auditRepository.record({
    actorType: 'USER',
    actorId: by.userId,
    action: 'admin.sender.update',
    entityType: 'SenderSystem',
    entityId: id,
    outcome: 'success',
    ip: by.ip,
    requestId: by.requestId,
    detail: { dosServiceId: s.dosServiceId, active: s.active, outboundToken: input.clearOutboundToken ? 'removed' : input.outboundToken ? 'replaced' : 'kept' },
  })
  return s
}

/**
 * A new bearer token for a direct integration: shown once, stored only as its SHA-256, replacing
 * the old one at once.
 */
export async function resetSenderBearerToken(id: string, by: TActor): Promise<{ token: string }> {
  assertUuid(id, 'sender system')
  const token = randomBytes(32).toString('base64url')
  if (!(await senderAdminRepository.setBearerTokenHash(id, hashBearerToken(token)))) throw new AppError('not-found', 'No such sender system.')
  await auditRepository.record({ actorType: 'USER', actorId: by.userId, action: 'admin.sender.token-reset', entityType: 'SenderSystem', entityId: id, outcome: 'success', ip: by.ip, requestId: by.requestId })
  return { token }
}
