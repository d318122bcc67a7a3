import type { Metadata } from 'next'
import Link from 'next/link'
import { PageShell } from '@/components/layout/page-shell'

export const metadata: Metadata = { title: 'Page not found' }

/** Unknown URL, or a referral / window / booking that does not exist: NHS.UK "page not found" pattern. */
export default function NotFound() {
  return (
    <PageShell>
      <h1>Page not found</h1>
      <p className="nhsuk-body">If you typed the web address, check it is correct.</p>
      <p className="nhsuk-body">If you pasted the web address, check you copied the entire address.</p>
      <p className="nhsuk-body">
        If you followed a link to a referral, it may have been removed. <Link href="/inbox">Go to the inbox</Link> or{' '}
        <Link href="/">go to the start page</Link>.
      </p>
    </PageShell>
  )
}
