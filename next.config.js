// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The FHIR operation name "$process-message" is awkward as a folder name; route it explicitly.
  async rewrites() {
    return [{ source: '/fhir/\\$process-message', destination: '/fhir/process-message' }]
  },
  serverExternalPackages: ['pg', '@prisma/adapter-pg'],
}

export default nextConfig
