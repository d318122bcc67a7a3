import Link from 'next/link'
import { can } from '@/lib/auth/permissions'
import { countStuckResponses } from '@/lib/outbox/count-stuck-responses'

/**
 * Under the header on every staff page, for clinicians and administrators: how many responses to
 * senders are stuck (not delivered after their first retries, or dead-lettered), with links to the
 * referrals, so nobody believes a decision reached the sender when it did not (issue 11, finding 7).
 */
export async function StuckResponsesNotice({ roles }: { roles: string[] }) {
  const canSeeReferrals = can(roles, 'referrals:read')
  const canManage = can(roles, 'outbox:manage')
  if (!canSeeReferrals && !canManage) return null
  const stuck = await countStuckResponses()
  if (stuck.count === 0) return null
  return (
    <div className="nhsuk-width-container nhsuk-u-padding-top-3" data-testid="stuck-count">
      <p className="nhsuk-body nhsuk-u-margin-bottom-0">
        <strong className="nhsuk-tag nhsuk-tag--orange">
          {stuck.count} {stuck.count === 1 ? 'response' : 'responses'} not delivered
        </strong>{' '}
        {stuck.count === 1 ? 'A response to a sender has' : 'Responses to senders have'} not arrived after several tries; they are retried automatically.{' '}
        {canSeeReferrals && stuck.referrals.length ? (
          <>
            See{' '}
            {stuck.referrals.map((r, i) => (
              <span key={r.id}>
                {i > 0 ? ', ' : ''}
                <Link href={`/referrals/${r.id}`}>{r.caseReference}</Link>
              </span>
            ))}
            .{' '}
          </>
        ) : null}
        {canManage ? <Link href="/admin/outbox">Open responses to senders</Link> : null}
      </p>
    </div>
  )
}
