import { NextResponse, type NextRequest } from 'next/server'
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS } from '@/lib/security/security-headers'

/**
 * Runs before every request (Next 16 "proxy", formerly middleware): a fresh CSP nonce per request,
 * passed to the renderer in the request's CSP header (Next applies it to its own scripts), and the
 * security headers on every response — pages, /api and /fhir alike.
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce()
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development' })
  const requestHeaders = new Headers(request.headers)
  requestHeaders.set('x-nonce', nonce)
  requestHeaders.set('content-security-policy', csp)
  const response = NextResponse.next({ request: { headers: requestHeaders } })
  response.headers.set('Content-Security-Policy', csp)
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value)
  return response
}

export const config = {
  // Everything but build assets (those get the static headers from next.config.js).
  matcher: ['/((?!_next/static|_next/image).*)'],
}
