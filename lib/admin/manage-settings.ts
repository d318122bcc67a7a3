import { auditRepository } from '@/lib/audit/audit-repository'
import { AUDIT_RETENTION_KEY, auditRetentionYears } from '@/lib/audit/audit-retention'
import type { TActor } from './manage-services'
import { settingRepository } from './setting-repository'

export interface TSettings {
  auditRetentionYears: number
}

export async function getSettings(): Promise<TSettings> {
  return { auditRetentionYears: await auditRetentionYears() }
}

export async function updateSettings(input: TSettings, by: TActor): Promise<TSettings> {
  const before = await getSettings()
  await settingRepository.set(AUDIT_RETENTION_KEY, input.auditRetentionYears)
  await auditRepository.record({ actorType: 'USER', actorId: by.userId, action: 'admin.settings.update', outcome: 'success', ip: by.ip, requestId: by.requestId, detail: { before, after: input } })
  return getSettings()
}
