import type { Metadata } from 'next'
import { PageShell } from '@/components/layout/page-shell'
import { OverridePanel } from '@/components/slots/override-panel'
import { ServicePicker, SlotsNav } from '@/components/slots/slots-nav'
import { requirePagePermission } from '@/lib/auth/session'
import { londonDate } from '@/lib/time/london'
import { chooseService } from '../service-context'

export const metadata: Metadata = { title: 'Capacity changes' }
export const dynamic = 'force-dynamic'

export default async function OverridesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePagePermission('slots:manage')
  const { services, service } = await chooseService((await searchParams).service)
  return (
    <PageShell user={user} current="/slots">
      <h1>
        {service ? <span className="nhsuk-caption-l">{service.name}</span> : null}
        Capacity changes
      </h1>
      {service ? (
        <>
          <SlotsNav current="overrides" serviceId={service.id} />
          <ServicePicker services={services} serviceId={service.id} action="/slots/overrides" />
          <p className="nhsuk-body">Block out a period, add places, or close a day. Patients already booked keep their bookings. Times are London time.</p>
          <OverridePanel serviceId={service.id} today={londonDate(new Date())} />
        </>
      ) : (
        <p className="nhsuk-body">No services are set up yet.</p>
      )}
    </PageShell>
  )
}
