import { auditRepository } from './audit-repository'
import { AUDIT_CSV_COLUMNS, csvLine } from './audit-csv'
import { toAuditEntries } from './audit-entries'
import { auditFilterFor, type TAuditSearch } from './search-audit'

const BATCH = 1000
/** An export is capped so one request cannot read the whole table; narrow the filters for more. */
export const EXPORT_MAX_ROWS = 100_000

/** The audit rows matching the search as CSV, streamed page by page (newest first). The export is audited. */
export async function exportAuditCsv(s: TAuditSearch, by: { userId: string; ip?: string; requestId?: string }): Promise<ReadableStream<Uint8Array>> {
  const filter = await auditFilterFor(s)
  await auditRepository.record({
    actorType: 'USER',
    actorId: by.userId,
    action: 'audit.export',
    patientNhs: s.nhsNumber,
    outcome: 'success',
    ip: by.ip,
    requestId: by.requestId,
    detail: { filters: { ...s, nhsNumber: undefined } },
  })
  const encoder = new TextEncoder()
  let before: string | undefined
  let sent = 0
  let headerDone = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerDone) {
        headerDone = true
        controller.enqueue(encoder.encode(csvLine(AUDIT_CSV_COLUMNS)))
        if (!filter) controller.close()
        return
      }
      const rows = filter && sent < EXPORT_MAX_ROWS ? await auditRepository.search(filter, { take: Math.min(BATCH, EXPORT_MAX_ROWS - sent), before }) : []
      if (rows.length === 0) {
        controller.close()
        return
      }
      const entries = await toAuditEntries(rows)
      controller.enqueue(
        encoder.encode(
          entries
            .map((e) =>
              csvLine([e.id, e.at, e.actorType, e.actorId, e.who, e.action, e.entityType, e.entityId, e.record, e.patientNhs, e.outcome, e.ip, e.requestId, e.correlationId, e.detail]),
            )
            .join(''),
        ),
      )
      sent += rows.length
      before = rows.at(-1)!.id
    },
  })
}
