import type { Metadata } from 'next'
import { SummaryList, SummaryListKey, SummaryListRow, SummaryListValue } from 'nhsuk-react-components'
import { SignOutEverywhere } from '@/components/account/sign-out-everywhere'
import { PageShell } from '@/components/layout/page-shell'
import { requireSignedIn } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Your account' }
export const dynamic = 'force-dynamic'

const ROLE_LABEL: Record<string, string> = { CLINICIAN: 'Clinician', RECEPTIONIST: 'Receptionist', ADMIN: 'Administrator' }

export default async function AccountPage() {
  const user = await requireSignedIn()
  return (
    <PageShell user={user}>
      <h1>Your account</h1>
      <SummaryList>
        <SummaryListRow>
          <SummaryListKey>Name</SummaryListKey>
          <SummaryListValue>{user.name}</SummaryListValue>
        </SummaryListRow>
        <SummaryListRow>
          <SummaryListKey>Email</SummaryListKey>
          <SummaryListValue>{user.email}</SummaryListValue>
        </SummaryListRow>
        <SummaryListRow>
          <SummaryListKey>Roles</SummaryListKey>
          <SummaryListValue>{user.roles.map((r) => ROLE_LABEL[r] ?? r).join(', ')}</SummaryListValue>
        </SummaryListRow>
      </SummaryList>
      <h2>Signed in somewhere else?</h2>
      <p>If you left a computer signed in, or think someone else is using your account, sign out on every device. You will need to sign in again here too.</p>
      <SignOutEverywhere />
    </PageShell>
  )
}
