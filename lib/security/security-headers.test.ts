import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS } from './security-headers'

describe('security headers', () => {
  it('the CSP allows scripts only by nonce (no unsafe-inline or unsafe-eval for scripts in production) and forbids framing', () => {
    const csp = contentSecurityPolicy('abc123')
    const script = csp.split('; ').find((d) => d.startsWith('script-src'))!
    expect(script).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("base-uri 'self'")
    expect(contentSecurityPolicy('x', { dev: true })).toContain("'unsafe-eval'")
  })

  it('sets HSTS, nosniff and deny-framing', () => {
    expect(STATIC_SECURITY_HEADERS['Strict-Transport-Security']).toMatch(/^max-age=\d{8,}; includeSubDomains$/)
    expect(STATIC_SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff')
    expect(STATIC_SECURITY_HEADERS['X-Frame-Options']).toBe('DENY')
  })

  it('nonces are fresh and unguessable (128 bits)', () => {
    const a = newNonce()
    expect(Buffer.from(a, 'base64')).toHaveLength(16)
    expect(newNonce()).not.toBe(a)
  })
})
