import type { Metadata } from 'next'
import Link from 'next/link'
import { InsetText, Table, TableBody, TableCell, TableHead, TableRow, Tag } from 'nhsuk-react-components'
import { PageShell } from '@/components/layout/page-shell'
import { SERVICE_KIND_INFO } from '@/lib/bars/service-kinds'
import { listServices } from '@/lib/admin/manage-services'
import { requirePagePermission } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Services' }
export const dynamic = 'force-dynamic'

export default async function ServicesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePagePermission('admin:configure')
  const [services, params] = await Promise.all([listServices(), searchParams])
  return (
    <PageShell user={user} current="/admin">
      <h1>Services</h1>
      {params.saved ? (
        <InsetText>
          <p>Saved. Senders see the change on their next request to /fhir/metadata and /fhir/MessageDefinition.</p>
        </InsetText>
      ) : null}
      <p>
        <Link href="/admin/services/new" className="nhsuk-button">
          Add a service
        </Link>
      </p>
      {services.length === 0 ? (
        <p>No services yet. Add the first one.</p>
      ) : (
        <Table caption="Services we receive for" responsive>
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>DoS service id</TableCell>
              <TableCell>ODS code</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Use cases</TableCell>
              <TableCell>Versions</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {services.map((s) => (
              <TableRow key={s.id} data-testid="service-row">
                <TableCell>
                  <Link href={`/admin/services/${s.id}`}>{s.name}</Link>
                </TableCell>
                <TableCell>{s.dosServiceId}</TableCell>
                <TableCell>{s.odsCode}</TableCell>
                <TableCell>{SERVICE_KIND_INFO[s.kind].label}</TableCell>
                <TableCell>{s.useCases.join(', ')}</TableCell>
                <TableCell>
                  {s.minAppVersion} to {s.maxAppVersion}
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
