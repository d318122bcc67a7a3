import type { Metadata } from 'next'
import { headers } from 'next/headers'
import { notFound } from 'next/navigation'
import { PageShell } from '@/components/layout/page-shell'
import { ReferralDetail } from '@/components/referrals/referral-detail'
import { requirePagePermission } from '@/lib/auth/session'
import { isAppError } from '@/lib/errors/app-error'
import { viewReferral } from '@/lib/referrals/view-referral'

export const metadata: Metadata = { title: 'Referral' }
export const dynamic = 'force-dynamic'

export default async function ReferralPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('referrals:read')
  const { id } = await params
  const ip = (await headers()).get('x-forwarded-for')?.split(',')[0]?.trim()
  const found = await viewReferral(id, { userId: user.id, ip }).catch((e: unknown) => {
    if (isAppError(e) && e.kind === 'not-found') return null
    throw e
  })
  if (!found) notFound()
  return (
    <PageShell user={user} current="/inbox">
      <ReferralDetail referral={found.referral} bundle={found.bundle} now={new Date()} />
    </PageShell>
  )
}
