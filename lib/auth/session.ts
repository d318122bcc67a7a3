import { getServerSession } from 'next-auth'
import { decode } from 'next-auth/jwt'
import { redirect } from 'next/navigation'
import { cache } from 'react'
import { env } from '@/lib/env'
import { authOptions, SESSION_ABSOLUTE_HOURS, SESSION_IDLE_MINUTES } from './auth-options'
import { can, type TPermission } from './permissions'
import { staffRepository } from './staff-repository'

export interface TStaffUser {
  id: string
  email: string
  name: string
  roles: string[]
  sessionId: string
}

/** The live session's user: null when the session row is revoked, idle 30 minutes or 12 hours old. */
export async function userForSession(sessionId: string | undefined): Promise<TStaffUser | null> {
  if (!sessionId || !/^[0-9a-f-]{36}$/i.test(sessionId)) return null
  const user = await staffRepository.touchSession(sessionId, SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS)
  return user ? { ...user, roles: user.roles, sessionId } : null
}

/** The signed-in user, checked against the session row in PostgreSQL (once per request). For pages. */
export const currentUser = cache(async (): Promise<TStaffUser | null> => {
  const session = await getServerSession(authOptions)
  return userForSession(session?.sid)
})

/** next-auth's session cookie name (the __Secure- prefix when served over https). */
export function sessionCookieName(): string {
  return env().NEXTAUTH_URL?.startsWith('https://') ? '__Secure-next-auth.session-token' : 'next-auth.session-token'
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.get('cookie') ?? ''
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

/** The signed-in user of an API request (session cookie → JWT → session row). For lib/http/with-route. */
export async function userFromRequest(req: Request): Promise<TStaffUser | null> {
  const token = readCookie(req, sessionCookieName())
  const secret = env().NEXTAUTH_SECRET
  if (!token || !secret) return null
  const jwt = await decode({ token, secret }).catch(() => null)
  return userForSession(typeof jwt?.sid === 'string' ? jwt.sid : undefined)
}

/** For pages: the user if they hold the permission; else sign in, or (signed in already) "you do not have access". */
export async function requirePagePermission(permission: TPermission): Promise<TStaffUser> {
  const user = await currentUser()
  if (!user) redirect('/sign-in')
  if (!can(user.roles, permission)) redirect('/no-access')
  return user
}

/** For pages any signed-in user may see (their account). */
export async function requireSignedIn(): Promise<TStaffUser> {
  const user = await currentUser()
  if (!user) redirect('/sign-in')
  return user
}
