import { AuditTable } from './audit-table'
import type { TAuditEntry } from '@/lib/audit/audit-entries'

/**
 * The audit tab of one record: everyone who viewed or acted on it, oldest first. Give it the
 * entries from listRecordAudit('Referral', id) (lib/audit/list-record-audit.ts); show it to users
 * with the 'audit:record' permission.
 */
export function RecordAudit({ entries }: { entries: TAuditEntry[] }) {
  if (entries.length === 0) return <p>Nobody has viewed or changed this record yet.</p>
  return <AuditTable entries={entries} caption="Who has viewed or changed this record" showPatient={false} />
}
