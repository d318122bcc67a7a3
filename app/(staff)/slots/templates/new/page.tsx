import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { BackLink } from 'nhsuk-react-components'
import { PageShell } from '@/components/layout/page-shell'
import { TemplateForm } from '@/components/slots/template-form'
import { requirePagePermission } from '@/lib/auth/session'
import { londonDate } from '@/lib/time/london'
import { chooseService } from '../../service-context'

export const metadata: Metadata = { title: 'Add a template' }
export const dynamic = 'force-dynamic'

export default async function NewTemplatePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePagePermission('slots:manage')
  const { service } = await chooseService((await searchParams).service)
  if (!service) notFound()
  return (
    <PageShell user={user} current="/slots">
      <BackLink asElement={Link} href={`/slots/templates?service=${service.id}`}>
        Back to templates
      </BackLink>
      <h1>
        <span className="nhsuk-caption-l">{service.name}</span>
        Add a template
      </h1>
      <TemplateForm serviceId={service.id} today={londonDate(new Date())} />
    </PageShell>
  )
}
