import type { Metadata } from 'next'
import Link from 'next/link'
import { PageShell } from '@/components/layout/page-shell'
import { requireSignedIn } from '@/lib/auth/session'
import { can } from '@/lib/auth/permissions'

export const metadata: Metadata = { title: 'You do not have access to this page' }
export const dynamic = 'force-dynamic'

const HOME = [
  { href: '/inbox', label: 'the inbox', permission: 'referrals:read' },
  { href: '/slots', label: 'slots and bookings', permission: 'slots:manage' },
  { href: '/admin', label: 'admin', permission: 'admin:configure' },
] as const

/** A signed-in user who opens a page their role does not allow (instead of sending them to sign in again). */
export default async function NoAccessPage() {
  const user = await requireSignedIn()
  const places = HOME.filter((h) => can(user.roles, h.permission))
  return (
    <PageShell user={user}>
      <h1>You do not have access to this page</h1>
      <p className="nhsuk-body">You are signed in as {user.name}. Your role does not allow you to see that page.</p>
      <p className="nhsuk-body">If you need it for your work, ask an administrator to change your role.</p>
      {places.length ? (
        <p className="nhsuk-body">
          You can go to{' '}
          {places.map((p, i) => (
            <span key={p.href}>
              {i > 0 ? (i === places.length - 1 ? ' or ' : ', ') : ''}
              <Link href={p.href}>{p.label}</Link>
            </span>
          ))}
          .
        </p>
      ) : null}
    </PageShell>
  )
}
