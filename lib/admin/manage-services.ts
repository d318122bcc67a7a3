import { auditRepository } from '@/lib/audit/audit-repository'
import { AppError } from '@/lib/errors/app-error'
import { assertUuid, rethrowDuplicate } from './admin-errors'
import type { TServiceInput } from './admin-schemas'
import { serviceAdminRepository, type TServiceAdminRecord } from './service-admin-repository'

export interface TActor {
  userId: string
  ip?: string
  requestId?: string
}

export async function listServices(): Promise<TServiceAdminRecord[]> {
  return serviceAdminRepository.list()
}

export async function getService(id: string): Promise<TServiceAdminRecord> {
  assertUuid(id, 'service')
  const s = await serviceAdminRepository.get(id)
  if (!s) throw new AppError('not-found', 'No such service.')
  return s
}

async function checkSenders(ids: string[]) {
  if ((await serviceAdminRepository.countSenders(ids)) !== ids.length) throw new AppError('invalid', 'One of the chosen sender systems no longer exists.')
}

/** Add a service; from the next request on it is served (CapabilityStatement, MessageDefinitions, $process-message). */
export async function createService(input: TServiceInput, by: TActor): Promise<TServiceAdminRecord> {
  await checkSenders(input.senderIds)
  const s = await serviceAdminRepository.create(input).catch((e: unknown) => rethrowDuplicate(e, 'A service with this DoS service id already exists.'))
  await auditRepository.record({ actorType: 'USER', actorId: by.userId, action: 'admin.service.create', entityType: 'Service', entityId: s.id, outcome: 'success', ip: by.ip, requestId: by.requestId, detail: { dosServiceId: s.dosServiceId } })
  return s
}

export async function updateService(id: string, input: TServiceInput, by: TActor): Promise<TServiceAdminRecord> {
  assertUuid(id, 'service')
  await checkSenders(input.senderIds)
  const s = await serviceAdminRepository.update(id, input).catch((e: unknown) => rethrowDuplicate(e, 'A service with this DoS service id already exists.'))
  if (!s) throw new AppError('not-found', 'No such service.')
  await auditRepository.record({ actorType: 'USER', actorId: by.userId, action: 'admin.service.update', entityType: 'Service', entityId: id, outcome: 'success', ip: by.ip, requestId: by.requestId, detail: { dosServiceId: s.dosServiceId, active: s.active } })
  return s
}
