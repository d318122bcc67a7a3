import { getServerSession } from 'next-auth'
import { redirect } from 'next/navigation'
import { cache } from 'react'
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

/** The signed-in user, checked against the session row in PostgreSQL (once per request). */
export const currentUser = cache(async (): Promise<TStaffUser | null> => {
  const session = await getServerSession(authOptions)
  if (!session?.sid) return null
  const user = await staffRepository.touchSession(session.sid, SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS)
  return user ? { ...user, roles: user.roles, sessionId: session.sid } : null
})

/** For pages: the user if they hold the permission, else off to sign in. */
export async function requirePagePermission(permission: TPermission): Promise<TStaffUser> {
  const user = await currentUser()
  if (!user) redirect('/sign-in')
  if (!can(user.roles, permission)) redirect('/sign-in?denied=1')
  return user
}
