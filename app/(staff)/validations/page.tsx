import type { Metadata } from 'next'
import { PageShell } from '@/components/layout/page-shell'
import { ValidationQueue } from '@/components/validations/validation-queue'
import { requirePagePermission } from '@/lib/auth/session'
import Link from 'next/link'
import { listValidations } from '@/lib/validations/list-validations'
import { listCasReferrals } from '@/lib/validations/view-cas-referral'
import { formatLondon } from '@/lib/time/london'

export const metadata: Metadata = { title: 'Validation queue' }
export const dynamic = 'force-dynamic'

export default async function ValidationsPage() {
  const user = await requirePagePermission('referrals:read')
  const initial = await listValidations(user)
  const referrals = await listCasReferrals(user)
  const now = new Date()
  return (
    <PageShell user={user} current="/validations">
      <h1>Validation queue</h1>
      <p className="nhsuk-lede-text">999 calls sent for clinical validation, soonest breach first.</p>
      <ValidationQueue initial={initial} nowMs={now.getTime()} />
      <h2 className="nhsuk-heading-m nhsuk-u-margin-top-6">999 referrals to call back</h2>
      {referrals.length ? (
        <ul className="nhsuk-list" data-testid="cas-referrals">
          {referrals.map((r) => (
            <li key={r.id}>
              <Link href={`/validations/referrals/${r.id}`}>{r.patient}</Link> ({r.caseReference}): call back by {r.callBackBy ? formatLondon(r.callBackBy, { timeStyle: 'short' }) : 'not provided'}
              {r.safeguarding ? <strong className="nhsuk-tag nhsuk-tag--red nhsuk-u-margin-left-2">Safeguarding concern</strong> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="nhsuk-body">There are no 999 referrals waiting.</p>
      )}
    </PageShell>
  )
}
