import type { NextAuthOptions } from 'next-auth'
import CredentialsProvider from 'next-auth/providers/credentials'
import { env } from '@/lib/env'
import { signInWithPassword } from './sign-in'
import { staffRepository } from './staff-repository'

export const SESSION_IDLE_MINUTES = 30
export const SESSION_ABSOLUTE_HOURS = 12

declare module 'next-auth' {
  interface User {
    roles: string[]
    sessionId: string
  }
  interface Session {
    sid?: string
  }
}
declare module 'next-auth/jwt' {
  interface JWT {
    sid?: string
  }
}

/**
 * next-auth: credentials sign-in; the JWT cookie carries only our session id, and every request
 * checks that session in PostgreSQL (idle and absolute expiry, revocation) — see lib/auth/session.ts.
 */
export const authOptions: NextAuthOptions = {
  secret: env().NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: SESSION_ABSOLUTE_HOURS * 3600 },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  providers: [
    CredentialsProvider({
      name: 'NHS staff account',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        const email = credentials?.email ?? ''
        const password = credentials?.password ?? ''
        if (!email || !password) return null
        const forwarded = req?.headers?.['x-forwarded-for']
        const ip = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined
        const result = await signInWithPassword(email, password, ip)
        if (!result.ok) throw new Error(result.reason === 'locked' ? 'AccountLocked' : 'CredentialsSignin')
        return { ...result.user, sessionId: result.sessionId }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      // Only the session id goes in the cookie; roles and name are read from the database per request.
      if (user) return { sub: user.id, sid: user.sessionId }
      return token
    },
    async session({ session, token }) {
      session.sid = token.sid
      return session
    },
  },
  events: {
    async signOut({ token }) {
      if (token?.sid) await staffRepository.revokeSession(token.sid)
    },
  },
}
