/**
 * The one permission table. Roles hold permissions; routes and pages ask for a permission, never a role.
 */
export const ROLES = ['CLINICIAN', 'RECEPTIONIST', 'ADMIN'] as const
export type TRole = (typeof ROLES)[number]

export const PERMISSIONS = {
  'referrals:read': ['CLINICIAN', 'RECEPTIONIST'],
  'referrals:act': ['CLINICIAN'],
  'slots:read': ['RECEPTIONIST', 'CLINICIAN'],
  'slots:manage': ['RECEPTIONIST'],
  'bookings:overbook': ['RECEPTIONIST'],
  'admin:configure': ['ADMIN'],
  'admin:users': ['ADMIN'],
  'audit:read': ['ADMIN'],
  /** The audit tab on one record (who viewed or acted on this referral). */
  'audit:record': ['CLINICIAN', 'ADMIN'],
  'outbox:manage': ['ADMIN'],
} as const satisfies Record<string, readonly TRole[]>

export type TPermission = keyof typeof PERMISSIONS

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as TPermission[]

export function isRole(value: string): value is TRole {
  return (ROLES as readonly string[]).includes(value)
}

/** Every permission the roles grant. */
export function permissionsOf(roles: readonly string[]): TPermission[] {
  return PERMISSION_NAMES.filter((p) => can(roles, p))
}

export function can(roles: readonly string[], permission: TPermission): boolean {
  const allowed: readonly string[] = PERMISSIONS[permission]
  return roles.some((r) => allowed.includes(r))
}

/** Where a user lands after signing in: the first screen their roles allow. */
export function homeFor(roles: readonly string[]): string {
  if (can(roles, 'referrals:read')) return '/inbox'
  if (can(roles, 'slots:manage')) return '/slots'
  if (can(roles, 'admin:configure')) return '/admin'
  return '/sign-in'
}
