import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { PageShell } from '@/components/layout/page-shell'
import { ValidationCase } from '@/components/validations/validation-case'
import { can } from '@/lib/auth/permissions'
import { requirePagePermission } from '@/lib/auth/session'
import { isAppError } from '@/lib/errors/app-error'
import { viewValidation } from '@/lib/validations/view-validation'

export const metadata: Metadata = { title: 'Validation request' }
export const dynamic = 'force-dynamic'

export default async function ValidationPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('referrals:read')
  const { id } = await params
  const view = await viewValidation(id, { id: user.id, canAct: can(user.roles, 'referrals:act') }).catch((e: unknown) => {
    if (isAppError(e) && e.kind === 'not-found') return null
    throw e
  })
  if (!view) notFound()
  const now = new Date()
  return (
    <PageShell user={user} current="/validations">
      <ValidationCase initial={view} nowMs={now.getTime()} />
    </PageShell>
  )
}
