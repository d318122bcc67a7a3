// @ts-check
/** Security headers for every path, static assets included (proxy.ts adds the per-request CSP). */
const securityHeaders = [
  { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
]

// `npm run bench` builds with BARS_BENCH_BUILD=1: into its own directory, with the bench-only route
// files (`*.bench.ts`, e.g. app/fhir/bench-echo/route.bench.ts) that the product build never sees.
const benchBuild = process.env.BARS_BENCH_BUILD === '1'

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  ...(benchBuild ? { distDir: '.next-bench', pageExtensions: ['tsx', 'ts', 'jsx', 'js', 'bench.ts'] } : {}),
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
