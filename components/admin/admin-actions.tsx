'use client'

import { ActionButton } from './action-button'

/** Issue a new bearer token for a direct integration; it is shown here once and never again. */
export function BearerTokenReset({ senderId, hasToken }: { senderId: string; hasToken: boolean }) {
  return (
    <ActionButton
      url={`/api/admin/senders/${senderId}/bearer-token`}
      label={hasToken ? 'Replace the bearer token' : 'Issue a bearer token'}
      secondary
      confirm={hasToken ? 'The current token will stop working at once. Continue?' : undefined}
      done={(d) => (
        <>
          <p>Copy this token now and give it to the sender securely. It will not be shown again.</p>
          <p>
            <code data-testid="new-bearer-token" className="break-all">
              {String(d.token)}
            </code>
          </p>
        </>
      )}
    />
  )
}

export function SignOutUserEverywhere({ userId }: { userId: string }) {
  return (
    <ActionButton
      url={`/api/admin/users/${userId}/sign-out-everywhere`}
      label="Sign this user out everywhere"
      secondary
      done={(d) => <p>{Number(d.ended) === 1 ? '1 session ended.' : `${Number(d.ended)} sessions ended.`}</p>}
    />
  )
}
