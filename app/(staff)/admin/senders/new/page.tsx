import type { Metadata } from 'next'
import { BackLink } from 'nhsuk-react-components'
import { SenderForm } from '@/components/admin/sender-form'
import { PageShell } from '@/components/layout/page-shell'
import { requirePagePermission } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Add a sender system' }
export const dynamic = 'force-dynamic'

export default async function NewSenderPage() {
  const user = await requirePagePermission('admin:configure')
  return (
    <PageShell user={user} current="/admin">
      <BackLink href="/admin/senders">Sender systems</BackLink>
      <h1>Add a sender system</h1>
      <SenderForm />
    </PageShell>
  )
}
