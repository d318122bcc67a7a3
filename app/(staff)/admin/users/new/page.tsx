import type { Metadata } from 'next'
import { BackLink } from 'nhsuk-react-components'
import { UserForm } from '@/components/admin/user-form'
import { PageShell } from '@/components/layout/page-shell'
import { requirePagePermission } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Add a user' }
export const dynamic = 'force-dynamic'

export default async function NewUserPage() {
  const user = await requirePagePermission('admin:users')
  return (
    <PageShell user={user} current="/admin">
      <BackLink href="/admin/users">Staff users</BackLink>
      <h1>Add a user</h1>
      <UserForm />
    </PageShell>
  )
}
