import type { Metadata } from 'next'
import Link from 'next/link'
import { InsetText, Table, TableBody, TableCell, TableHead, TableRow, Tag } from 'nhsuk-react-components'
import { PageShell } from '@/components/layout/page-shell'
import { listSenders } from '@/lib/admin/manage-senders'
import { requirePagePermission } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Sender systems' }
export const dynamic = 'force-dynamic'

export default async function SendersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePagePermission('admin:configure')
  const [senders, params] = await Promise.all([listSenders(), searchParams])
  return (
    <PageShell user={user} current="/admin">
      <h1>Sender systems</h1>
      {params.saved ? (
        <InsetText>
          <p>Saved.</p>
        </InsetText>
      ) : null}
      <p>
        <Link href="/admin/senders/new" className="nhsuk-button">
          Add a sender system
        </Link>
      </p>
      {senders.length === 0 ? (
        <p>No sender systems yet.</p>
      ) : (
        <Table caption="Systems that send referrals and bookings to us" responsive>
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>DoS service id</TableCell>
              <TableCell>ODS codes allowed</TableCell>
              <TableCell>Credentials</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {senders.map((s) => (
              <TableRow key={s.id} data-testid="sender-row">
                <TableCell>
                  <Link href={`/admin/senders/${s.id}`}>{s.name}</Link>
                </TableCell>
                <TableCell>{s.dosServiceId}</TableCell>
                <TableCell>{s.odsCodes.length ? s.odsCodes.join(', ') : 'Any'}</TableCell>
                <TableCell>
                  {[s.hasBearerToken ? 'Bearer token' : null, s.clientCertSubject ? 'Client certificate' : null, s.hasOutboundToken ? 'Outbound token' : null].filter(Boolean).join(', ') || 'None'}
                </TableCell>
                <TableCell>{s.active ? <Tag modifier="green">Active</Tag> : <Tag modifier="grey">Inactive</Tag>}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </PageShell>
  )
}
