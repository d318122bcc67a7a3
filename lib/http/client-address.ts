/**
 * The caller's address: the first X-Forwarded-For hop (set by our TLS terminator / reverse proxy),
 * else X-Real-IP. Only trustworthy behind that proxy; recorded for audit, never used for access.
 */
export function clientAddress(req: Request): string | undefined {
  const forwarded = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim()
  const value = forwarded || req.headers.get('x-real-ip')?.trim()
  return value ? value.slice(0, 64) : undefined
}
