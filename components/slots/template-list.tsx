'use client'

import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { Table, TableBody, TableCell, TableHead, TableRow } from 'nhsuk-react-components'
import { slotQueries } from '@/lib/query/slot-queries'
import { dateTimeFormat } from '@/lib/time/london'
import { LoadError, Loading } from './feedback'

const dateLabel = (d: string) => dateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${d}T12:00:00Z`))

export function TemplateList({ serviceId }: { serviceId: string }) {
  const q = useQuery(slotQueries.templates(serviceId))
  if (q.isPending) return <Loading what="templates" />
  if (q.isError) return <LoadError error={q.error} />
  if (q.data.length === 0) return <p className="nhsuk-body">No templates yet. Without a template there are no arrival windows to offer.</p>
  return (
    <Table responsive>
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Templates</caption>
      <TableHead>
        <TableRow>
          <TableCell>Days</TableCell>
          <TableCell>Hours</TableCell>
          <TableCell>Window length</TableCell>
          <TableCell>Places per window</TableCell>
          <TableCell>In use</TableCell>
          <TableCell>
            <span className="nhsuk-u-visually-hidden">Actions</span>
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {q.data.map((t) => (
          <TableRow key={t.id} data-testid="template-row">
            <TableCell>{t.daysLabel}</TableCell>
            <TableCell>
              {t.start} to {t.end}
            </TableCell>
            <TableCell>{t.windowMinutes} minutes</TableCell>
            <TableCell>{t.capacity}</TableCell>
            <TableCell>
              From {dateLabel(t.validFrom)}
              {t.validTo ? ` to ${dateLabel(t.validTo)}` : ''}
            </TableCell>
            <TableCell>
              <Link className="nhsuk-link" href={`/slots/templates/${t.id}`}>
                Change<span className="nhsuk-u-visually-hidden"> template {t.daysLabel} {t.start} to {t.end}</span>
              </Link>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
