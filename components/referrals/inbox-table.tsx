import Link from 'next/link'
import { Table, TableBody, TableCell, TableHead, TableRow, Tag } from 'nhsuk-react-components'
import type { TInboxRow } from '@/lib/referrals/list-inbox'
import { ageInYears } from '@/lib/time/age'
import { formatLondon } from '@/lib/time/london'
import { nhsNumberLabel, patientName } from './patient-label'

export function InboxTable({ rows, now }: { rows: TInboxRow[]; now: Date }) {
  if (rows.length === 0) {
    return <p className="nhsuk-body">No referrals yet. New referrals appear here as soon as they arrive.</p>
  }
  return (
    <Table responsive>
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Referrals, the soonest deadline first</caption>
      <TableHead>
        <TableRow>
          <TableCell>Patient</TableCell>
          <TableCell>NHS number</TableCell>
          <TableCell>Age</TableCell>
          <TableCell>Chief concern</TableCell>
          <TableCell>Deadline</TableCell>
          <TableCell>Received</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((r) => {
          const age = ageInYears(r.patientBirthDate, now)
          return (
            <TableRow key={r.id} data-testid="inbox-row">
              <TableCell>
                <Link href={`/referrals/${r.id}`} className="nhsuk-link">
                  {patientName(r)}
                </Link>
                {r.safeguarding ? (
                  <>
                    {' '}
                    <Tag modifier="red">Safeguarding</Tag>
                  </>
                ) : null}
                <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{r.caseReference}</div>
              </TableCell>
              <TableCell>{nhsNumberLabel(r.patientNhsNumber)}</TableCell>
              <TableCell>{age === undefined ? 'Not provided' : `${age}`}</TableCell>
              <TableCell>{r.chiefConcern ?? 'Not provided'}</TableCell>
              <TableCell>{r.deadline ? formatLondon(r.deadline, { timeStyle: 'short', dateStyle: 'short' }) : 'None given'}</TableCell>
              <TableCell>{formatLondon(r.receivedAt, { timeStyle: 'short', dateStyle: 'short' })}</TableCell>
            </TableRow>
          )
        })}
      </TableBody>
    </Table>
  )
}
