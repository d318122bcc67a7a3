import type { Metadata } from 'next'
import { BackLink } from 'nhsuk-react-components'
import { SignOutUserEverywhere } from '@/components/admin/admin-actions'
import { UserForm } from '@/components/admin/user-form'
import { PageShell } from '@/components/layout/page-shell'
import { getUser } from '@/lib/admin/manage-users'
import { requirePagePermission } from '@/lib/auth/session'
import { orNotFound, pageRecordId } from '@/lib/http/page-helpers'

export const metadata: Metadata = { title: 'Change a user' }
export const dynamic = 'force-dynamic'

export default async function EditUserPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('admin:users')
  const target = await orNotFound(getUser(pageRecordId((await params).id)))
  return (
    <PageShell user={user} current="/admin">
      <BackLink href="/admin/users">Staff users</BackLink>
      <h1>{target.name}</h1>
      <p>{target.email}</p>
      <UserForm initial={{ id: target.id, email: target.email, name: target.name, roles: target.roles, active: target.active, locked: Boolean(target.lockedUntil && target.lockedUntil > new Date()) }} />
      <h2>Sessions</h2>
      <p>{target.liveSessions > 0 ? `Signed in on ${target.liveSessions} ${target.liveSessions === 1 ? 'device' : 'devices'}.` : 'Not signed in anywhere.'}</p>
      <SignOutUserEverywhere userId={target.id} />
    </PageShell>
  )
}
