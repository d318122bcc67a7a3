import { can, type TPermission } from './permissions'

/**
 * Every route of the app (page.tsx and route.ts under app/, by URL pattern) and who may use it:
 *  - a permission from lib/auth/permissions.ts (staff session + that permission),
 *  - 'signed-in' (any staff session), 'public' (no session), 'sender' (the BaRS FHIR API: sender
 *    authentication in lib/http/with-fhir-route.ts, never a staff session).
 * API routes map each HTTP method they export. route-permissions.test.ts fails when a route file
 * exists without an entry here; e2e/role-matrix.spec.ts checks every role × route pair against it.
 */
export type TAccess = TPermission | 'signed-in' | 'public' | 'sender'
export type THttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type TRouteAccess = TAccess | Partial<Record<THttpMethod, TAccess>>

export const PAGE_ROUTES: Readonly<Record<string, TAccess>> = {
  '/': 'public',
  '/sign-in': 'public',
  '/account': 'signed-in',
  // a signed-in user sent here by a page their role does not allow
  '/no-access': 'signed-in',
  // clinician inbox
  '/inbox': 'referrals:read',
  '/referrals/[id]': 'referrals:read',
  // community pharmacy worklist (App 5)
  '/pharmacy': 'referrals:read',
  '/pharmacy/referrals/[id]': 'referrals:read',
  '/pharmacy/referrals/[id]/summary': 'referrals:read',
  // CAS validation queue (App 4)
  '/validations': 'referrals:read',
  '/validations/[id]': 'referrals:read',
  '/validations/referrals/[id]': 'referrals:read',
  // slots and bookings
  '/slots': 'slots:manage',
  '/slots/windows/[id]': 'slots:manage',
  '/slots/bookings/[id]': 'slots:manage',
  '/slots/templates': 'slots:manage',
  '/slots/templates/new': 'slots:manage',
  '/slots/templates/[id]': 'slots:manage',
  '/slots/overrides': 'slots:manage',
  // admin
  '/admin': 'admin:configure',
  '/admin/services': 'admin:configure',
  '/admin/services/new': 'admin:configure',
  '/admin/services/[id]': 'admin:configure',
  '/admin/senders': 'admin:configure',
  '/admin/senders/new': 'admin:configure',
  '/admin/senders/[id]': 'admin:configure',
  '/admin/users': 'admin:users',
  '/admin/users/new': 'admin:users',
  '/admin/users/[id]': 'admin:users',
  '/admin/audit': 'audit:read',
  '/admin/settings': 'admin:configure',
  '/admin/outbox': 'outbox:manage',
}

export const API_ROUTES: Readonly<Record<string, TRouteAccess>> = {
  // next-auth's own endpoints (sign-in, sign-out, CSRF token); it protects them itself
  '/api/auth/[...nextauth]': 'public',
  '/api/me/sign-out-everywhere': { POST: 'signed-in' },
  '/api/admin/services': { POST: 'admin:configure' },
  '/api/admin/services/[id]': { PUT: 'admin:configure' },
  '/api/admin/senders': { POST: 'admin:configure' },
  '/api/admin/senders/[id]': { PUT: 'admin:configure' },
  '/api/admin/senders/[id]/bearer-token': { POST: 'admin:configure' },
  '/api/admin/users': { POST: 'admin:users' },
  '/api/admin/users/[id]': { PUT: 'admin:users' },
  '/api/admin/users/[id]/sign-out-everywhere': { POST: 'admin:users' },
  '/api/admin/settings': { PUT: 'admin:configure' },
  '/api/audit/export': { GET: 'audit:read' },
  // clinician inbox
  '/api/referrals': { GET: 'referrals:read' },
  '/api/referrals/[id]': { GET: 'referrals:read' },
  '/api/referrals/[id]/accept': { POST: 'referrals:act' },
  '/api/referrals/[id]/reject': { POST: 'referrals:act' },
  '/api/referrals/[id]/rebook': { POST: 'referrals:act' },
  '/api/referrals/[id]/did-not-attend': { POST: 'referrals:act' },
  '/api/referrals/[id]/windows': { GET: 'referrals:act' },
  '/api/referrals/next': { GET: 'referrals:read' },
  // community pharmacy (App 5)
  '/api/pharmacy/referrals': { GET: 'referrals:read' },
  '/api/pharmacy/referrals/[id]': { GET: 'referrals:read' },
  '/api/pharmacy/referrals/[id]/contact-attempts': { POST: 'referrals:act' },
  '/api/pharmacy/referrals/[id]/outcome': { POST: 'referrals:act' },
  '/api/pharmacy/referrals/[id]/close': { POST: 'referrals:act' },
  '/api/events': { GET: 'referrals:read' },
  // CAS validation queue (App 4)
  '/api/validations': { GET: 'referrals:read' },
  '/api/validations/[id]': { GET: 'referrals:read' },
  '/api/validations/[id]/start': { POST: 'referrals:act' },
  '/api/validations/[id]/reject': { POST: 'referrals:act' },
  '/api/validations/[id]/complete': { POST: 'referrals:act' },
  '/api/outbox': { GET: 'outbox:manage' },
  '/api/outbox/[id]/resend': { POST: 'outbox:manage' },
  // slots and bookings
  '/api/slots/board': { GET: 'slots:read' },
  '/api/slots/windows/[id]': { GET: 'slots:read' },
  '/api/slots/windows/[id]/bookings': { POST: 'slots:manage' },
  '/api/slots/windows/[id]/block': { POST: 'slots:manage', DELETE: 'slots:manage' },
  '/api/slots/bookings/[id]': { GET: 'slots:read' },
  '/api/slots/bookings/[id]/attendance': { POST: 'slots:manage' },
  '/api/slots/bookings/[id]/cancel': { POST: 'slots:manage' },
  '/api/slots/bookings/[id]/move': { POST: 'slots:manage' },
  '/api/slots/templates': { GET: 'slots:read', POST: 'slots:manage' },
  '/api/slots/templates/[id]': { GET: 'slots:read', PUT: 'slots:manage', DELETE: 'slots:manage' },
  '/api/slots/overrides': { GET: 'slots:read', POST: 'slots:manage' },
  '/api/slots/overrides/[id]': { DELETE: 'slots:manage' },
  // BaRS FHIR API (senders, not staff)
  '/fhir/process-message': 'sender',
  '/fhir/metadata': 'sender',
  '/fhir/MessageDefinition': 'sender',
  '/fhir/ServiceRequest': 'sender',
  '/fhir/ServiceRequest/[id]': 'sender',
  '/fhir/Appointment': 'sender',
  '/fhir/Appointment/[id]': 'sender',
  '/fhir/Slot': 'sender',
  '/fhir/[...path]': 'sender',
}

/** The access rule for one method of an API route (undefined: not in the table). */
export function apiAccess(pattern: string, method: THttpMethod): TAccess | undefined {
  const entry = API_ROUTES[pattern]
  if (entry === undefined) return undefined
  return typeof entry === 'string' ? entry : entry[method]
}

/**
 * What a staff user with these roles should get: 'allowed', or 'denied' (403 JSON / redirect to
 * sign-in). Null roles = not signed in. Sender and public routes are 'allowed' for everyone here
 * (their protection is not a staff session).
 */
export function expectedOutcome(access: TAccess, roles: readonly string[] | null): 'allowed' | 'denied' {
  if (access === 'public' || access === 'sender') return 'allowed'
  if (roles === null) return 'denied'
  if (access === 'signed-in') return 'allowed'
  return can(roles, access) ? 'allowed' : 'denied'
}

/** app/(staff)/referrals/[id]/page.tsx → /referrals/[id]; route groups and the file name dropped. */
export function routePatternOf(filePath: string): string {
  const parts = filePath.replace(/\\/g, '/').split('/')
  const start = parts.indexOf('app')
  const segments = parts.slice(start + 1, -1).filter((s) => !(s.startsWith('(') && s.endsWith(')')) && !s.startsWith('@'))
  return `/${segments.join('/')}`
}
