import { Table, TableBody, TableCell, TableHead, TableRow, Tag } from 'nhsuk-react-components'
import { nhsNumberLabel } from '@/components/referrals/patient-label'
import type { TAuditEntry } from '@/lib/audit/audit-entries'
import { formatDateTime } from '@/lib/time/format'

/** Audit entries as a table: when, who, what, record, patient, outcome, from where. */
export function AuditTable({ entries, caption, showPatient = true }: { entries: TAuditEntry[]; caption: string; showPatient?: boolean }) {
  return (
    <Table caption={caption} responsive>
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>Who</TableCell>
          <TableCell>What</TableCell>
          <TableCell>Record</TableCell>
          {showPatient ? <TableCell>Patient NHS number</TableCell> : null}
          <TableCell>Outcome</TableCell>
          <TableCell>From</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {entries.map((e) => (
          <TableRow key={e.id} data-testid="audit-row">
            <TableCell>{formatDateTime(e.at)}</TableCell>
            <TableCell>{e.who}</TableCell>
            <TableCell>{e.actionLabel}</TableCell>
            <TableCell>{e.record ?? 'Not recorded'}</TableCell>
            {showPatient ? <TableCell>{e.patientNhs ? nhsNumberLabel(e.patientNhs) : 'Not recorded'}</TableCell> : null}
            <TableCell>
              <Tag modifier={e.outcome === 'success' ? 'green' : 'red'}>{e.outcome === 'success' ? 'Success' : 'Failed'}</Tag>
            </TableCell>
            <TableCell>{e.ip === '::1' || e.ip === '127.0.0.1' ? 'This server' : (e.ip ?? 'Not recorded')}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
