/**
 * Runs once when a Next.js server process starts (Next's instrumentation hook). Validates the
 * environment — production without sender authentication is refused (lib/env.ts) — and says
 * loudly when the FHIR API accepts unauthenticated calls. NEXT_RUNTIME is set by Next itself.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { announceSenderAuth } = await import('@/lib/senders/sender-auth-posture')
  try {
    announceSenderAuth()
  } catch (e) {
    console.error(`[bars-inbox] refusing to start: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  }
}
