// @ts-check
/** Security headers for every path, static assets included (proxy.ts adds the per-request CSP). */
const securityHeaders = [
  { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
]

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }]
  },
  // The FHIR operation name "$process-message" is awkward as a folder name; route it explicitly.
  async rewrites() {
    return [{ source: '/fhir/\\$process-message', destination: '/fhir/process-message' }]
  },
  serverExternalPackages: ['pg', '@prisma/adapter-pg', 'pino'],
}

export default nextConfig
