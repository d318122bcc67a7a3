import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { PageShell } from '@/components/layout/page-shell'
import { PharmacyDetail, PharmacyOutcomeSummary } from '@/components/pharmacy/pharmacy-detail'
import { PrintButton } from '@/components/pharmacy/print-button'
import { auditRepository } from '@/lib/audit/audit-repository'
import { requirePagePermission } from '@/lib/auth/session'
import { isAppError } from '@/lib/errors/app-error'
import { viewPharmacyReferral } from '@/lib/pharmacy/view-pharmacy-referral'
import { formatLondon } from '@/lib/time/london'

export const metadata: Metadata = { title: 'Pharmacy consultation summary' }
export const dynamic = 'force-dynamic'

/**
 * The printable outcome summary: what the pharmacy can hand or send to the GP practice today,
 * while GP Connect Update Record is not connected (A5.17).
 */
export default async function PharmacySummaryPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('referrals:read')
  const { id } = await params
  const view = /^[0-9a-f-]{36}$/i.test(id)
    ? await viewPharmacyReferral(id).catch((e: unknown) => {
        if (isAppError(e) && e.kind === 'not-found') return null
        throw e
      })
    : null
  if (!view) notFound()
  await auditRepository.record({ actorType: 'USER', actorId: user.id, action: 'pharmacy.summary', entityType: 'Referral', entityId: view.id, outcome: 'success' })
  return (
    <PageShell user={user} current="/pharmacy">
      <div className="nhsuk-back-link print:hidden">
        <Link className="nhsuk-back-link__link" href={`/pharmacy/referrals/${view.id}`}>
          Back to the referral
        </Link>
      </div>
      <h1 className="break-words">
        <span className="nhsuk-caption-l">Pharmacy First consultation summary · {view.caseReference}</span>
        {view.patientName}
      </h1>
      <p className="nhsuk-body">
        {view.service}. Printed {formatLondon(new Date())}.
      </p>
      <PrintButton />
      <h2>Outcome</h2>
      <PharmacyOutcomeSummary view={view} />
      <PharmacyDetail view={view} />
    </PageShell>
  )
}
