import type { Metadata } from 'next'
import Link from 'next/link'
import { PageShell } from '@/components/layout/page-shell'
import { can } from '@/lib/auth/permissions'
import { requirePagePermission } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Admin' }
export const dynamic = 'force-dynamic'

const SECTIONS = [
  { href: '/admin/services', title: 'Services', text: 'The services we receive for: DoS id, ODS code, use cases, versions, deadlines, slot search.', permission: 'admin:configure' },
  { href: '/admin/senders', title: 'Sender systems', text: 'Who may send to us, where responses go, and their credentials.', permission: 'admin:configure' },
  { href: '/admin/users', title: 'Staff users', text: 'Accounts, roles, deactivation and signing users out.', permission: 'admin:users' },
  { href: '/admin/audit', title: 'Audit', text: 'Who viewed or did what, when and from where. Search and export.', permission: 'audit:read' },
  { href: '/admin/settings', title: 'Settings', text: 'How long audit records are kept.', permission: 'admin:configure' },
  { href: '/admin/outbox', title: 'Outbox', text: 'Responses waiting to be delivered to senders.', permission: 'outbox:manage' },
] as const

export default async function AdminHome() {
  const user = await requirePagePermission('admin:configure')
  return (
    <PageShell user={user} current="/admin">
      <h1>Admin</h1>
      <ul className="nhsuk-list">
        {SECTIONS.filter((s) => can(user.roles, s.permission)).map((s) => (
          <li key={s.href}>
            <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
              <Link href={s.href}>{s.title}</Link>
            </h2>
            <p>{s.text}</p>
          </li>
        ))}
      </ul>
    </PageShell>
  )
}
