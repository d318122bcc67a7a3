import type { Metadata } from 'next'
import { PageShell } from '@/components/layout/page-shell'
import { SlotWindowPanel } from '@/components/slots/slot-window-panel'
import { requirePagePermission } from '@/lib/auth/session'
import { pageRecordId } from '@/lib/http/page-helpers'

export const metadata: Metadata = { title: 'Arrival window' }
export const dynamic = 'force-dynamic'

export default async function SlotWindowPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePagePermission('slots:manage')
  const id = pageRecordId((await params).id)
  const sp = await searchParams
  const notice = sp.moved ? 'Booking moved into this window.' : sp.cancelled ? 'Booking cancelled. Its place is free again.' : undefined
  return (
    <PageShell user={user} current="/slots">
      <SlotWindowPanel slotId={id} notice={notice} />
    </PageShell>
  )
}
