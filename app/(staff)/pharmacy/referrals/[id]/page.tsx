import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { PageShell } from '@/components/layout/page-shell'
import { PharmacyReferralScreen } from '@/components/pharmacy/pharmacy-referral-screen'
import { auditRepository } from '@/lib/audit/audit-repository'
import { can } from '@/lib/auth/permissions'
import { requirePagePermission } from '@/lib/auth/session'
import { isAppError } from '@/lib/errors/app-error'
import { viewPharmacyReferral } from '@/lib/pharmacy/view-pharmacy-referral'
import { liveEventRepositoryCursor } from '@/lib/referrals/live-cursor'

export const metadata: Metadata = { title: 'Pharmacy referral' }
export const dynamic = 'force-dynamic'

export default async function PharmacyReferralPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('referrals:read')
  const { id } = await params
  const cursor = await liveEventRepositoryCursor()
  const view = /^[0-9a-f-]{36}$/i.test(id)
    ? await viewPharmacyReferral(id).catch((e: unknown) => {
        if (isAppError(e) && e.kind === 'not-found') return null
        throw e
      })
    : null
  if (!view) notFound()
  await auditRepository.record({ actorType: 'USER', actorId: user.id, action: 'pharmacy.view', entityType: 'Referral', entityId: view.id, outcome: 'success' })
  return (
    <PageShell user={user} current="/pharmacy">
      <PharmacyReferralScreen initial={view} canAct={can(user.roles, 'referrals:act')} cursor={cursor} />
    </PageShell>
  )
}
