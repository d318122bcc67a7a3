import { InsetText } from 'nhsuk-react-components'
import { PageShell } from '@/components/layout/page-shell'
import { SignInForm } from './sign-in-form'

export function SignInScreen({ denied, callbackUrl }: { denied?: boolean; callbackUrl: string }) {
  return (
    <PageShell>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <h1>Sign in to BaRS Inbox</h1>
          {denied ? (
            <InsetText>
              <p>Your account does not have access to that page. Sign in with an account that does.</p>
            </InsetText>
          ) : null}
          <SignInForm callbackUrl={callbackUrl} />
        </div>
      </div>
    </PageShell>
  )
}
