import type { TNhsdHeaders } from '@/lib/bars/headers'
import type { TServiceRecord } from '@/lib/services/service-repository'
import type { TSenderIdentity } from './authenticate-sender'

/**
 * What a caller of the FHIR API may read at one service (issue 9, item 5; docs/security.md
 * "Sender isolation"): the records whose MessageHeader.source.endpoint (Referral/Booking
 * `sourceEndpoint`) is one of `sourceDosIds`. Everything else answers exactly like a missing record
 * (404 on a read, absent from a searchset), so nothing leaks.
 *  - A sender that authenticated directly (bearer token or client certificate) sees its own
 *    messages only — being linked to the service (ServiceSender) lets it send there and search its
 *    Slots, never read another sender's records.
 *  - A call through the national BaRS proxy (or with no credentials, when sender authentication is
 *    not configured) is scoped by what the proxy vouches for, NHSD-End-User-Organisation: the
 *    messages of the active senders linked to the service whose ODS list holds that code, or is
 *    empty (= any organisation). A service with no sender list shows such callers nothing.
 */
export interface TReadScope {
  sourceDosIds: readonly string[]
}

export function readScope(service: TServiceRecord, sender: TSenderIdentity, nhsd: TNhsdHeaders): TReadScope {
  if (sender.method === 'bearer' || sender.method === 'client-cert') return { sourceDosIds: [sender.dosServiceId] }
  const ods = nhsd.endUserOrganisation?.odsCode?.toUpperCase()
  const ids = service.senders
    .filter((s) => s.active && (s.odsCodes.length === 0 || (ods !== undefined && s.odsCodes.some((c) => c.toUpperCase() === ods))))
    .map((s) => s.dosServiceId)
  return { sourceDosIds: [...new Set(ids)] }
}

/** The DoS service id of a directly authenticated sender (undefined through the proxy or without credentials). */
export function directSenderDosId(sender: TSenderIdentity): string | undefined {
  return sender.method === 'bearer' || sender.method === 'client-cert' ? sender.dosServiceId : undefined
}

// The spellings of the DoS system that MessageHeader.source.endpoint is stored with (open question A4).
const DOS_SYSTEMS = [
  'https://fhir.nhs.uk/Id/dos-service-id',
  'https://fhir.nhs.uk/id/dos-service-id',
  'http://fhir.nhs.uk/Id/dos-service-id',
  'http://fhir.nhs.uk/id/dos-service-id',
  'https://fhir.nhs.uk/CodeSystem/dos-id',
  'https://fhir.nhs.uk/codesystem/dos-id',
  'http://fhir.nhs.uk/CodeSystem/dos-id',
  'http://fhir.nhs.uk/codesystem/dos-id',
]

/** The stored `sourceEndpoint` values the scope covers (exact matches, so the filter can use an index). */
export function scopeEndpoints(scope: TReadScope): string[] {
  return scope.sourceDosIds.flatMap((id) => [id, ...DOS_SYSTEMS.map((s) => `${s}|${id}`)])
}
