import type { Metadata } from 'next'
import { headers } from 'next/headers'
import { notFound } from 'next/navigation'
import { PageShell } from '@/components/layout/page-shell'
import { ReferralActions, ReferralActivityPanel } from '@/components/referrals/referral-actions'
import { BackToInbox, PatientBanner, ReferralDetail } from '@/components/referrals/referral-detail'
import { ReferralSummary } from '@/components/referrals/referral-summary'
import { can } from '@/lib/auth/permissions'
import { currentUser, requirePagePermission } from '@/lib/auth/session'
import { isAppError } from '@/lib/errors/app-error'
import { liveEventRepositoryCursor } from '@/lib/referrals/live-cursor'
import { getReferralActivity } from '@/lib/referrals/get-referral-activity'
import { referralTitle, viewReferral } from '@/lib/referrals/view-referral'
import { pageRecordId } from '@/lib/http/page-helpers'

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  // Only someone who may read referrals learns even the case reference from the title.
  const user = await currentUser()
  return { title: user && can(user.roles, 'referrals:read') ? await referralTitle((await params).id) : 'Referral' }
}
export const dynamic = 'force-dynamic'

export default async function ReferralPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('referrals:read')
  const id = pageRecordId((await params).id)
  const ip = (await headers()).get('x-forwarded-for')?.split(',')[0]?.trim()
  const cursor = await liveEventRepositoryCursor()
  const found = await viewReferral(id, { userId: user.id, ip }).catch((e: unknown) => {
    if (isAppError(e) && e.kind === 'not-found') return null
    throw e
  })
  if (!found) notFound()
  const activity = await getReferralActivity(found.referral.id)
  const now = new Date()
  return (
    <PageShell user={user} current="/inbox">
      <BackToInbox />
      <PatientBanner referral={found.referral} view={found.view} now={now} />
      {/* The summary block (issue 11): countdown, callback, concern, disposition and the current alerts above the fold. */}
      <ReferralSummary referral={found.referral} view={found.view} sender={found.sender} nowMs={now.getTime()} />
      <ReferralActions
        referralId={found.referral.id}
        initial={activity}
        canAct={can(user.roles, 'referrals:act')}
        safeguarding={found.referral.safeguarding}
        cursor={cursor}
      />
      <ReferralDetail referral={found.referral} view={found.view} versions={found.versions} sender={found.sender} bookings={found.referral.bookings} />
      <ReferralActivityPanel referralId={found.referral.id} initial={activity} />
    </PageShell>
  )
}
