import { ErrorSummary, ErrorSummaryTitle, InsetText } from 'nhsuk-react-components'
import { PageShell } from '@/components/layout/page-shell'
import { OidcSignInButton } from './oidc-sign-in-button'
import { SignInForm } from './sign-in-form'

const PROVIDER_ERRORS: Record<string, string> = {
  NoRole: 'Your NHS identity has no role that gives access to this service. Ask your Registration Authority or an administrator.',
  AccessDenied: 'You could not be signed in with your NHS identity. Ask an administrator.',
}

export function SignInScreen({ denied, callbackUrl, oidc, password = true, error }: { denied?: boolean; callbackUrl: string; oidc?: { name: string }; password?: boolean; error?: string }) {
  const providerError = error ? PROVIDER_ERRORS[error] : undefined
  return (
    <PageShell>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <h1>Sign in to BaRS Inbox</h1>
          {providerError ? (
            <ErrorSummary>
              <ErrorSummaryTitle>{providerError}</ErrorSummaryTitle>
            </ErrorSummary>
          ) : null}
          {denied ? (
            <InsetText>
              <p>Your account does not have access to that page. Sign in with an account that does.</p>
            </InsetText>
          ) : null}
          {oidc ? <OidcSignInButton label={`Sign in with ${oidc.name}`} callbackUrl={callbackUrl} /> : null}
          {oidc && password ? <h2 className="nhsuk-heading-s">Or sign in with a password</h2> : null}
          {password ? <SignInForm callbackUrl={callbackUrl} /> : null}
        </div>
      </div>
    </PageShell>
  )
}
