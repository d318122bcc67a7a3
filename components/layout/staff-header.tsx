import { Header, HeaderAccount, HeaderAccountItem, HeaderNavigation, HeaderNavigationItem } from 'nhsuk-react-components'
import { can } from '@/lib/auth/permissions'
import { SignOutButton } from '@/components/auth/sign-out-button'

export interface TStaffHeaderProps {
  user?: { name: string; roles: string[] }
  current?: string
}

const NAV = [
  { href: '/inbox', label: 'Inbox', permission: 'referrals:read' },
  { href: '/validations', label: 'Validation queue', permission: 'referrals:read' },
  { href: '/slots', label: 'Slots and bookings', permission: 'slots:manage' },
  { href: '/admin', label: 'Admin', permission: 'admin:configure' },
] as const

export function StaffHeader({ user, current }: TStaffHeaderProps) {
  const items = user ? NAV.filter((n) => can(user.roles, n.permission)) : []
  return (
    <Header service={{ text: 'BaRS Inbox', href: '/' }}>
      {user ? (
        <HeaderAccount aria-label="Your account">
          <HeaderAccountItem href="/account" icon>
            {user.name}
          </HeaderAccountItem>
          <SignOutButton />
        </HeaderAccount>
      ) : null}
      {items.length > 0 ? (
        <HeaderNavigation>
          {items.map((n) => (
            <HeaderNavigationItem key={n.href} href={n.href} current={current === n.href}>
              {n.label}
            </HeaderNavigationItem>
          ))}
        </HeaderNavigation>
      ) : null}
    </Header>
  )
}
