import { auditRepository } from './audit-repository'
import { toAuditEntries, type TAuditEntry } from './audit-entries'

/** Everything recorded about one record (e.g. a referral's audit tab), oldest first. */
export async function listRecordAudit(entityType: string, entityId: string): Promise<TAuditEntry[]> {
  if (!/^[0-9a-f-]{36}$/i.test(entityId)) return []
  return toAuditEntries(await auditRepository.forRecord(entityType, entityId))
}
