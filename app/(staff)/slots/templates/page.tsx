import type { Metadata } from 'next'
import { Button } from 'nhsuk-react-components'
import { PageShell } from '@/components/layout/page-shell'
import { TemplateList } from '@/components/slots/template-list'
import { ServicePicker, SlotsNav } from '@/components/slots/slots-nav'
import { requirePagePermission } from '@/lib/auth/session'
import { chooseService } from '../service-context'

export const metadata: Metadata = { title: 'Templates' }
export const dynamic = 'force-dynamic'

export default async function TemplatesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePagePermission('slots:manage')
  const sp = await searchParams
  const { services, service } = await chooseService(sp.service)
  const notice = sp.saved ? 'Template saved. The arrival windows have been updated.' : sp.deleted ? 'Template deleted. Windows with bookings were kept and blocked.' : undefined
  return (
    <PageShell user={user} current="/slots">
      <h1>
        {service ? <span className="nhsuk-caption-l">{service.name}</span> : null}
        Templates
      </h1>
      {service ? (
        <>
          <SlotsNav current="templates" serviceId={service.id} />
          <ServicePicker services={services} serviceId={service.id} action="/slots/templates" />
          {notice ? (
            <div role="status" className="nhsuk-inset-text" data-testid="slots-success">
              <p>{notice}</p>
            </div>
          ) : null}
          <p className="nhsuk-body">A template makes the arrival windows for the days it covers, four weeks ahead. Times are London time.</p>
          <TemplateList serviceId={service.id} />
          <Button href={`/slots/templates/new?service=${service.id}`}>Add a template</Button>
        </>
      ) : (
        <p className="nhsuk-body">No services are set up yet.</p>
      )}
    </PageShell>
  )
}
