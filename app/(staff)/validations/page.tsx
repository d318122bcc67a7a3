import type { Metadata } from 'next'
import { PageShell } from '@/components/layout/page-shell'
import { ValidationQueue } from '@/components/validations/validation-queue'
import { requirePagePermission } from '@/lib/auth/session'
import { listValidations } from '@/lib/validations/list-validations'

export const metadata: Metadata = { title: 'Validation queue' }
export const dynamic = 'force-dynamic'

export default async function ValidationsPage() {
  const user = await requirePagePermission('referrals:read')
  const initial = await listValidations(user)
  const now = new Date()
  return (
    <PageShell user={user} current="/validations">
      <h1>Validation queue</h1>
      <p className="nhsuk-lede-text">999 calls sent for clinical validation, soonest breach first.</p>
      <ValidationQueue initial={initial} nowMs={now.getTime()} />
    </PageShell>
  )
}
