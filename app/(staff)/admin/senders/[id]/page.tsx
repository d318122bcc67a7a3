import type { Metadata } from 'next'
import { BackLink } from 'nhsuk-react-components'
import { BearerTokenReset } from '@/components/admin/admin-actions'
import { SenderForm } from '@/components/admin/sender-form'
import { PageShell } from '@/components/layout/page-shell'
import { getSender } from '@/lib/admin/manage-senders'
import { requirePagePermission } from '@/lib/auth/session'
import { orNotFound, pageRecordId } from '@/lib/http/page-helpers'

export const metadata: Metadata = { title: 'Change a sender system' }
export const dynamic = 'force-dynamic'

export default async function EditSenderPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('admin:configure')
  const sender = await orNotFound(getSender(pageRecordId((await params).id)))
  return (
    <PageShell user={user} current="/admin">
      <BackLink href="/admin/senders">Sender systems</BackLink>
      <h1>{sender.name}</h1>
      <SenderForm initial={sender} />
      <h2>Bearer token for direct integrations</h2>
      <p>{sender.hasBearerToken ? 'A bearer token is set. Only its fingerprint is stored, so it cannot be shown.' : 'No bearer token is set.'}</p>
      <BearerTokenReset senderId={sender.id} hasToken={sender.hasBearerToken} />
    </PageShell>
  )
}
