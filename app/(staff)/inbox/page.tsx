import type { Metadata } from 'next'
import { PageShell } from '@/components/layout/page-shell'
import { InboxTable } from '@/components/referrals/inbox-table'
import { requirePagePermission } from '@/lib/auth/session'
import { listInbox } from '@/lib/referrals/list-inbox'

export const metadata: Metadata = { title: 'Inbox' }
export const dynamic = 'force-dynamic'

export default async function InboxPage() {
  const user = await requirePagePermission('referrals:read')
  const rows = await listInbox()
  return (
    <PageShell user={user} current="/inbox">
      <h1>Inbox</h1>
      <InboxTable rows={rows} now={new Date()} />
    </PageShell>
  )
}
