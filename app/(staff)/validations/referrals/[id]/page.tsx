import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { PageShell } from '@/components/layout/page-shell'
import { CasContentDetails } from '@/components/validations/cas-content'
import { formatNhsNumber } from '@/lib/bars/identifiers'
import { requirePagePermission } from '@/lib/auth/session'
import { isAppError } from '@/lib/errors/app-error'
import { formatLondon } from '@/lib/time/london'
import { viewCasReferral } from '@/lib/validations/view-cas-referral'

export const metadata: Metadata = { title: '999 referral' }
export const dynamic = 'force-dynamic'

// An App 3 (999 → CAS) referral as a CAS clinician reads it; decisions stay on the referral screen.
export default async function CasReferralPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission('referrals:read')
  const { id } = await params
  const v = await viewCasReferral(id).catch((e: unknown) => {
    if (isAppError(e) && e.kind === 'not-found') return null
    throw e
  })
  if (!v) notFound()
  return (
    <PageShell user={user} current="/validations">
      {v.safeguarding ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span>
              <span className="nhsuk-u-visually-hidden">Important: </span>Safeguarding concern
            </span>
          </h2>
          <p>The 999 service has raised a safeguarding concern. See the flags below.</p>
        </div>
      ) : null}
      <h1 className="nhsuk-heading-l">
        {v.patient.name} <span className="nhsuk-caption-m">{v.caseReference}</span>
      </h1>
      <p className="nhsuk-body-l">
        Call back by <strong>{v.callBackBy ? formatLondon(v.callBackBy) : 'Not provided'}</strong>
      </p>
      {v.fhirStatus !== 'active' ? <p className="nhsuk-body">Cancelled by the 999 service{v.cancelReason ? `: ${v.cancelReason}` : ''}.</p> : null}
      <CasContentDetails
        content={v.content}
        rows={[
          ['NHS number', formatNhsNumber(v.patient.nhsNumber) ?? 'Not provided'],
          ['Date of birth', v.patient.birthDate ?? 'Not provided'],
          ['Received', formatLondon(v.receivedAt)],
          ['Referred by', v.senderName ?? 'Not provided'],
        ]}
      />
      <p className="nhsuk-body">
        <Link href={`/referrals/${v.id}`}>Accept or reject this referral</Link> · <Link href="/validations">Back to the validation queue</Link>
      </p>
    </PageShell>
  )
}
