import type { Metadata } from 'next'
import { PageShell } from '@/components/layout/page-shell'
import { BookingPanel } from '@/components/slots/booking-panel'
import { requirePagePermission } from '@/lib/auth/session'
import { pageRecordId } from '@/lib/http/page-helpers'

export const metadata: Metadata = { title: 'Move or cancel a booking' }
export const dynamic = 'force-dynamic'

export default async function BookingPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('slots:manage')
  const id = pageRecordId((await params).id)
  return (
    <PageShell user={user} current="/slots">
      <BookingPanel bookingId={id} />
    </PageShell>
  )
}
