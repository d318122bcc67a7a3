/**
 * Runs once when a Next.js server process starts (Next's instrumentation hook). On the Node.js
 * runtime: validates the environment — production without sender authentication is refused
 * (lib/env.ts) — and says loudly when the FHIR API accepts unauthenticated calls
 * (lib/senders/announce-at-start.ts). NEXT_RUNTIME is set by Next itself.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('@/lib/senders/announce-at-start')
}
