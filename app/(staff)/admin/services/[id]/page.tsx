import type { Metadata } from 'next'
import { BackLink } from 'nhsuk-react-components'
import { ServiceForm } from '@/components/admin/service-form'
import { PageShell } from '@/components/layout/page-shell'
import { serviceFormOptions } from '@/lib/admin/form-options'
import { getService } from '@/lib/admin/manage-services'
import { requirePagePermission } from '@/lib/auth/session'
import { orNotFound, pageRecordId } from '@/lib/http/page-helpers'

export const metadata: Metadata = { title: 'Change a service' }
export const dynamic = 'force-dynamic'

export default async function EditServicePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('admin:configure')
  const service = await orNotFound(getService(pageRecordId((await params).id)))
  const options = await serviceFormOptions()
  return (
    <PageShell user={user} current="/admin">
      <BackLink href="/admin/services">Services</BackLink>
      <h1>{service.name}</h1>
      <ServiceForm {...options} initial={service} />
    </PageShell>
  )
}
