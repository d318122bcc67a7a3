import type { NextAuthOptions } from 'next-auth'
import CredentialsProvider from 'next-auth/providers/credentials'
import type { OAuthConfig } from 'next-auth/providers/oauth'
import { env, type TEnv } from '@/lib/env'
import { signInWithOidc } from './sign-in-oidc'
import { signInWithPassword } from './sign-in'
import { SESSION_ABSOLUTE_HOURS } from './session-limits'
import { staffRepository } from './staff-repository'

export { SESSION_ABSOLUTE_HOURS, SESSION_IDLE_MINUTES } from './session-limits'
export const OIDC_PROVIDER_ID = 'oidc'

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

function clientIp(headers: Record<string, unknown> | undefined): string | undefined {
  const forwarded = headers?.['x-forwarded-for']
  return typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined
}

/** Is OpenID Connect sign-in configured (issuer, client id and secret all set)? */
export function oidcConfigured(e: TEnv = env()): boolean {
  return Boolean(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET)
}

export function passwordSignInEnabled(e: TEnv = env()): boolean {
  return !oidcConfigured(e) || e.BARS_ALLOW_PASSWORD_SIGN_IN
}

/**
 * A generic OpenID Connect provider from the environment, ready for NHS CIS2: discovery from the
 * issuer, PKCE + state, acr_values (authentication assurance), and the profile read from userinfo
 * (where CIS2 puts nhsid_nrbac_roles). Roles are mapped in signInWithOidc.
 */
export function oidcProvider(e: TEnv): OAuthConfig<Record<string, unknown>> {
  const params: Record<string, string> = { scope: e.OIDC_SCOPE }
  if (e.OIDC_ACR_VALUES) params.acr_values = e.OIDC_ACR_VALUES
  return {
    id: OIDC_PROVIDER_ID,
    name: e.OIDC_NAME,
    type: 'oauth',
    wellKnown: `${e.OIDC_ISSUER!.replace(/\/+$/, '')}/.well-known/openid-configuration`,
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET!,
    authorization: { params },
    checks: ['pkce', 'state'],
    idToken: false,
    profile(profile) {
      const sub = String(profile.sub ?? '')
      return { id: sub, email: typeof profile.email === 'string' ? profile.email : null, name: typeof profile.name === 'string' ? profile.name : null, roles: [], sessionId: '' }
    },
  }
}

function providers(e: TEnv): NextAuthOptions['providers'] {
  const list: NextAuthOptions['providers'] = []
  if (oidcConfigured(e)) list.push(oidcProvider(e))
  if (passwordSignInEnabled(e)) {
    list.push(
      CredentialsProvider({
        name: 'NHS staff account',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const email = credentials?.email ?? ''
          const password = credentials?.password ?? ''
          if (!email || !password) return null
          const result = await signInWithPassword(email, password, clientIp(req?.headers))
          if (!result.ok) throw new Error(result.reason === 'locked' ? 'AccountLocked' : 'CredentialsSignin')
          return { ...result.user, sessionId: result.sessionId }
        },
      }),
    )
  }
  return list
}

/**
 * next-auth: credentials sign-in (embedded default) and/or OpenID Connect (production). The JWT
 * cookie carries only our session id; every request checks that session in PostgreSQL (idle and
 * absolute expiry, revocation) — see lib/auth/session.ts.
 */
export function buildAuthOptions(e: TEnv = env()): NextAuthOptions {
  return {
    secret: e.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_ABSOLUTE_HOURS * 3600 },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers: providers(e),
    callbacks: {
      async signIn({ account, profile, user }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true
        const result = await signInWithOidc((profile ?? {}) as Record<string, unknown>)
        if (!result.ok) return `/sign-in?error=${result.reason === 'no-role' ? 'NoRole' : 'AccessDenied'}`
        // Carried to the jwt callback below on the same request.
        user.sessionId = result.sessionId
        user.id = result.userId
        return true
      },
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
}

export const authOptions: NextAuthOptions = buildAuthOptions()
