/** Build staff API requests with a real session cookie for integration tests. */
import { encode } from 'next-auth/jwt'
import { signInWithPassword } from '@/lib/auth/sign-in'
import { env } from '@/lib/env'

export const TEST_ORIGIN = 'http://localhost:3000'

/** Sign a demo user in through the real password check; returns the session cookie header value. */
export async function sessionCookieFor(email: string, password = 'Demo-password-1'): Promise<{ cookie: string; userId: string; sessionId: string }> {
  const r = await signInWithPassword(email, password)
  if (!r.ok) throw new Error(`sign-in failed for ${email}: ${r.reason}`)
  const token = await encode({ token: { sub: r.user.id, sid: r.sessionId }, secret: env().NEXTAUTH_SECRET! })
  return { cookie: `next-auth.session-token=${token}`, userId: r.user.id, sessionId: r.sessionId }
}

export function staffRequest(
  path: string,
  opts: { method?: string; cookie?: string; body?: unknown; rawBody?: string; origin?: string | null; headers?: Record<string, string> } = {},
): Request {
  const method = opts.method ?? (opts.body !== undefined || opts.rawBody !== undefined ? 'POST' : 'GET')
  const headers = new Headers(opts.headers)
  if (opts.cookie) headers.set('cookie', opts.cookie)
  if (opts.body !== undefined || opts.rawBody !== undefined) headers.set('content-type', headers.get('content-type') ?? 'application/json')
  if (method !== 'GET' && opts.origin !== null) headers.set('origin', opts.origin ?? TEST_ORIGIN)
  const body = opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined)
  return new Request(`${TEST_ORIGIN}${path}`, { method, headers, body })
}

export function routeParams(params: Record<string, string>) {
  return { params: Promise.resolve(params) }
}
