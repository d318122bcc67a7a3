import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * CSRF protection for state-changing staff API calls (POST/PUT/PATCH/DELETE): the browser's Origin
 * header must be one of ours, or the request must carry next-auth's CSRF token in X-CSRF-Token
 * matching its signed csrf-token cookie (double submit; for clients that send no Origin).
 */
export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-next-auth.csrf-token' : 'next-auth.csrf-token'
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** next-auth's csrf cookie is "<token>|<sha256(token + secret)>"; valid when the header carries that token. */
export function validDoubleSubmit(headerToken: string | null, cookieValue: string | undefined, secret: string | undefined): boolean {
  if (!headerToken || !cookieValue || !secret) return false
  const [token, hash] = cookieValue.split('|')
  if (!token || !hash) return false
  const expected = createHash('sha256').update(`${token}${secret}`).digest('hex')
  return sameString(hash, expected) && sameString(headerToken, token)
}

export function originAllowed(origin: string | null, allowed: readonly string[]): boolean {
  if (!origin || origin === 'null') return false
  return allowed.includes(origin.toLowerCase())
}

/** Our own origins: the request's own, and the configured public URLs. */
export function ownOrigins(req: Request, configured: readonly (string | undefined)[]): string[] {
  const list = [new URL(req.url).origin, ...configured.filter((u): u is string => Boolean(u)).map((u) => new URL(u).origin)]
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host')
  const proto = req.headers.get('x-forwarded-proto') ?? new URL(req.url).protocol.replace(':', '')
  if (host) list.push(`${proto}://${host}`)
  return [...new Set(list.map((o) => o.toLowerCase()))]
}
