import type { CapabilityStatement } from '@medplum/fhirtypes'
import { env, type TEnv } from '@/lib/env'
import { log } from '@/lib/log'

/**
 * Whether the FHIR API authenticates its callers, said loudly when it does not (issue 9, item 5):
 * a log line when the server starts (instrumentation.ts; scripts/start.mjs prints its own) and a
 * sentence in the CapabilityStatement's description on /fhir/metadata. Production on an external
 * database refuses to start that way unless BARS_ALLOW_UNAUTHENTICATED_SENDERS=true (lib/env.ts).
 */
export const UNAUTHENTICATED_NOTICE =
  'WARNING: sender authentication is not configured on this receiver (BARS_REQUIRE_SENDER_AUTH is not true): FHIR calls without credentials are accepted. Not for production.'

export function sendersAuthenticated(e: TEnv = env()): boolean {
  return e.BARS_REQUIRE_SENDER_AUTH
}

/** At server start: validates the environment (throws when production would run without sender authentication) and warns. */
export function announceSenderAuth(): void {
  const e = env()
  if (!sendersAuthenticated(e)) log.warn(UNAUTHENTICATED_NOTICE, { allowUnauthenticated: e.BARS_ALLOW_UNAUTHENTICATED_SENDERS, nodeEnv: e.NODE_ENV })
}

/** The CapabilityStatement with the warning appended to its description (still valid FHIR: description is markdown). */
export function withSenderAuthNotice(cs: CapabilityStatement, e: TEnv = env()): CapabilityStatement {
  if (sendersAuthenticated(e)) return cs
  return { ...cs, description: cs.description ? `${cs.description}\n\n${UNAUTHENTICATED_NOTICE}` : UNAUTHENTICATED_NOTICE }
}
