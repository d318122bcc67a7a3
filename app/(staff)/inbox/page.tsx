import type { Metadata } from 'next'
import { PageShell } from '@/components/layout/page-shell'
import { Worklist } from '@/components/referrals/worklist'
import { requirePagePermission } from '@/lib/auth/session'
import { listInbox, type TInboxQuery } from '@/lib/referrals/list-inbox'

export const metadata: Metadata = { title: 'Inbox' }
export const dynamic = 'force-dynamic'

export default async function InboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePagePermission('referrals:read')
  const sp = await searchParams
  const one = (k: string) => (typeof sp[k] === 'string' && sp[k] ? (sp[k] as string).slice(0, 100) : undefined)
  const query: TInboxQuery = Object.fromEntries(
    Object.entries({ state: one('state'), q: one('q'), useCase: one('useCase'), sender: one('sender'), service: one('service'), date: one('date'), sort: one('sort'), dir: one('dir'), show: one('show') }).filter(([, v]) => v),
  )
  const now = new Date()
  const initial = await listInbox(query, now)
  return (
    <PageShell user={user} current="/inbox">
      <h1>Inbox</h1>
      <Worklist initial={initial} initialQuery={query} nowMs={now.getTime()} />
    </PageShell>
  )
}
