import type { Metadata } from 'next'
import { PageShell } from '@/components/layout/page-shell'
import { OutboxAdmin } from '@/components/outbox/outbox-admin'
import { requirePagePermission } from '@/lib/auth/session'
import { listOutbox } from '@/lib/outbox/list-outbox'

export const metadata: Metadata = { title: 'Responses to senders' }
export const dynamic = 'force-dynamic'

export default async function OutboxPage() {
  const user = await requirePagePermission('outbox:manage')
  const messages = await listOutbox()
  return (
    <PageShell user={user} current="/admin">
      <h1>Responses to senders</h1>
      <p className="nhsuk-lede-text">FHIR responses are delivered by the outbox worker, retried with back-off while a sender is unreachable.</p>
      <OutboxAdmin initial={messages} />
    </PageShell>
  )
}
