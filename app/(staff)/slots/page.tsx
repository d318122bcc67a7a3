import type { Metadata } from 'next'
import { PageShell } from '@/components/layout/page-shell'
import { SlotBoard } from '@/components/slots/slot-board'
import { ServicePicker, SlotsNav } from '@/components/slots/slots-nav'
import { requirePagePermission } from '@/lib/auth/session'
import { chooseService } from './service-context'

export const metadata: Metadata = { title: 'Arrival windows' }
export const dynamic = 'force-dynamic'

type TSearch = Promise<Record<string, string | string[] | undefined>>

export default async function SlotsPage({ searchParams }: { searchParams: TSearch }) {
  const user = await requirePagePermission('slots:manage')
  const sp = await searchParams
  const { services, service } = await chooseService(sp.service)
  const date = typeof sp.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(sp.date) ? sp.date : ''
  const view = sp.view === 'week' ? 'week' : 'day'
  return (
    <PageShell user={user} current="/slots">
      <h1>
        {service ? <span className="nhsuk-caption-l">{service.name}</span> : null}
        Arrival windows
      </h1>
      {service ? (
        <>
          <SlotsNav current="board" serviceId={service.id} />
          <ServicePicker services={services} serviceId={service.id} action="/slots" />
          <SlotBoard key={`${service.id}-${date}-${view}`} serviceId={service.id} date={date} view={view} />
        </>
      ) : (
        <p className="nhsuk-body">No services are set up yet. An administrator adds services.</p>
      )}
    </PageShell>
  )
}
