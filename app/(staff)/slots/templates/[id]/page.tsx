import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { BackLink } from 'nhsuk-react-components'
import { PageShell } from '@/components/layout/page-shell'
import { TemplateForm } from '@/components/slots/template-form'
import { requirePagePermission } from '@/lib/auth/session'
import { isAppError } from '@/lib/errors/app-error'
import { viewTemplate } from '@/lib/slots/list-capacity'
import { londonDate } from '@/lib/time/london'
import { pageRecordId } from '@/lib/http/page-helpers'

export const metadata: Metadata = { title: 'Change a template' }
export const dynamic = 'force-dynamic'

export default async function EditTemplatePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('slots:manage')
  const id = pageRecordId((await params).id)
  const template = await viewTemplate(id).catch((e: unknown) => {
    if (isAppError(e) && e.kind === 'not-found') return null
    throw e
  })
  if (!template) notFound()
  return (
    <PageShell user={user} current="/slots">
      <BackLink asElement={Link} href={`/slots/templates?service=${template.serviceId}`}>
        Back to templates
      </BackLink>
      <h1>Change a template</h1>
      <TemplateForm serviceId={template.serviceId} templateId={template.id} today={londonDate(new Date())} />
    </PageShell>
  )
}
