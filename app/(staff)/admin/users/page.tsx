import type { Metadata } from 'next'
import Link from 'next/link'
import { InsetText, Table, TableBody, TableCell, TableHead, TableRow, Tag } from 'nhsuk-react-components'
import { PageShell } from '@/components/layout/page-shell'
import { listUsers } from '@/lib/admin/manage-users'
import { requirePagePermission } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Staff users' }
export const dynamic = 'force-dynamic'

const ROLE_LABEL: Record<string, string> = { CLINICIAN: 'Clinician', RECEPTIONIST: 'Receptionist', ADMIN: 'Administrator' }

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePagePermission('admin:users')
  const [users, params] = await Promise.all([listUsers(), searchParams])
  const now = new Date()
  return (
    <PageShell user={user} current="/admin">
      <h1>Staff users</h1>
      {params.saved ? (
        <InsetText>
          <p>Saved. Role changes apply on the user’s next page or action.</p>
        </InsetText>
      ) : null}
      <p>
        <Link href="/admin/users/new" className="nhsuk-button">
          Add a user
        </Link>
      </p>
      <Table caption="Staff who can sign in" responsive>
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Email</TableCell>
            <TableCell>Roles</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Signed in now</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {users.map((u) => (
            <TableRow key={u.id} data-testid="user-row">
              <TableCell>
                <Link href={`/admin/users/${u.id}`}>{u.name}</Link>
              </TableCell>
              <TableCell>{u.email}</TableCell>
              <TableCell>{u.roles.map((r) => ROLE_LABEL[r] ?? r).join(', ')}</TableCell>
              <TableCell>
                {!u.active ? <Tag modifier="grey">Deactivated</Tag> : u.lockedUntil && u.lockedUntil > now ? <Tag modifier="red">Locked</Tag> : <Tag modifier="green">Active</Tag>}
              </TableCell>
              <TableCell>{u.liveSessions > 0 ? `Yes (${u.liveSessions})` : 'No'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </PageShell>
  )
}
