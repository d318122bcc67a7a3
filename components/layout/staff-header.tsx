import { Header, HeaderAccount, HeaderAccountItem, HeaderNavigation, HeaderNavigationItem } from 'nhsuk-react-components'
import { can } from '@/lib/auth/permissions'
import { SignOutButton } from '@/components/auth/sign-out-button'
import { homeScreenFor } from '@/lib/pharmacy/home-screen'
import { landingFor } from '@/lib/validations/landing'

export interface TStaffHeaderProps {
  user?: { id?: string; name: string; roles: string[] }
  current?: string
}

const NAV = [
  { href: '/inbox', label: 'Inbox', permission: 'referrals:read' },
  { href: '/slots', label: 'Slots and bookings', permission: 'slots:manage' },
  { href: '/admin', label: 'Admin', permission: 'admin:configure' },
] as const

/** The worklist of the user's home service, when it is not an emergency department's inbox. */
const HOME_NAV: Record<string, { href: string; label: string }> = {
  '/pharmacy': { href: '/pharmacy', label: 'Pharmacy referrals' },
  '/validations': { href: '/validations', label: 'Validation queue' },
}

export async function StaffHeader({ user, current }: TStaffHeaderProps) {
  const items: { href: string; label: string }[] = user ? NAV.filter((n) => can(user.roles, n.permission)) : []
  if (user?.id) {
    const home = HOME_NAV[(await landingFor({ id: user.id, roles: user.roles })) ?? (await homeScreenFor({ id: user.id, roles: user.roles }))]
    if (home) items.splice(1, 0, home)
  }
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
