import { staffDirectoryRepository } from '@/lib/admin/staff-directory-repository'
import type { TAuditRow } from './audit-repository'
import { describeAction } from './describe-action'

/** An audit row ready to show: names instead of ids, a plain-English action. */
export interface TAuditEntry {
  id: string
  at: Date
  actorType: string
  actorId: string | null
  who: string
  action: string
  actionLabel: string
  entityType: string | null
  entityId: string | null
  record: string | null
  patientNhs: string | null
  outcome: string
  ip: string | null
  requestId: string | null
  correlationId: string | null
  detail: unknown
}

function senderLabel(row: TAuditRow): string {
  const d = (row.detail ?? {}) as { senderName?: string; senderOds?: string }
  return d.senderName ?? (d.senderOds ? `Sender organisation ${d.senderOds}` : row.actorId ? `Sender ${row.actorId}` : 'Unidentified sender')
}

export async function toAuditEntries(rows: TAuditRow[]): Promise<TAuditEntry[]> {
  const users = await staffDirectoryRepository.userNames(rows.filter((r) => r.actorType === 'USER' && r.actorId).map((r) => r.actorId!))
  const cases = await staffDirectoryRepository.caseReferences(rows.filter((r) => r.entityType === 'Referral' && r.entityId).map((r) => r.entityId!))
  const userTargets = await staffDirectoryRepository.userNames(rows.filter((r) => r.entityType === 'StaffUser' && r.entityId).map((r) => r.entityId!))
  return rows.map((r) => ({
    ...r,
    who: r.actorType === 'USER' ? (r.actorId ? (users.get(r.actorId) ?? 'Unknown user') : 'Not signed in') : r.actorType === 'SENDER' ? senderLabel(r) : 'System',
    actionLabel: describeAction(r.action),
    record:
      r.entityType === 'Referral' && r.entityId
        ? `Referral ${cases.get(r.entityId) ?? ''}`.trim()
        : r.entityType === 'StaffUser' && r.entityId
          ? `User ${userTargets.get(r.entityId) ?? ''}`.trim()
          : r.entityType,
  }))
}
