import type { Metadata } from 'next'
import { PageShell } from '@/components/layout/page-shell'
import { PharmacyWorklist } from '@/components/pharmacy/pharmacy-worklist'
import { requirePagePermission } from '@/lib/auth/session'
import { listPharmacyWorklist, type TPharmacyQuery } from '@/lib/pharmacy/list-pharmacy-worklist'

export const metadata: Metadata = { title: 'Pharmacy referrals' }
export const dynamic = 'force-dynamic'

export default async function PharmacyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePagePermission('referrals:read')
  const sp = await searchParams
  const one = (k: string) => (typeof sp[k] === 'string' && sp[k] ? (sp[k] as string).slice(0, 100) : undefined)
  const tab = one('tab')
  const query: TPharmacyQuery = Object.fromEntries(
    Object.entries({ tab: tab === 'closed' || tab === 'cancelled' ? tab : undefined, q: one('q'), service: one('service') }).filter(([, v]) => v),
  )
  const now = new Date()
  const initial = await listPharmacyWorklist(query, now)
  return (
    <PageShell user={user} current="/pharmacy">
      <h1>Pharmacy referrals</h1>
      <p className="nhsuk-body">
        Pharmacy First referrals from GP practices (BaRS Application 5). The patient contacts the pharmacy, usually within 24 hours of the referral.
      </p>
      <PharmacyWorklist initial={initial} initialQuery={query} nowMs={now.getTime()} />
    </PageShell>
  )
}
