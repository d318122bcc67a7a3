import type { Metadata } from 'next'
import { BackLink } from 'nhsuk-react-components'
import { ServiceForm } from '@/components/admin/service-form'
import { PageShell } from '@/components/layout/page-shell'
import { serviceFormOptions } from '@/lib/admin/form-options'
import { requirePagePermission } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Add a service' }
export const dynamic = 'force-dynamic'

export default async function NewServicePage() {
  const user = await requirePagePermission('admin:configure')
  const options = await serviceFormOptions()
  return (
    <PageShell user={user} current="/admin">
      <BackLink href="/admin/services">Services</BackLink>
      <h1>Add a service</h1>
      <ServiceForm {...options} />
    </PageShell>
  )
}
