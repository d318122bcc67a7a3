import type { TNhsdHeaders } from '@/lib/bars/headers'
import type { TSenderIdentity } from '@/lib/senders/authenticate-sender'
import type { TServiceRecord } from '@/lib/services/service-repository'

/**
 * The /fhir rate-limit key: per (sender, service), where the sender is always an authenticated
 * identity or a registered sender — never a value the caller picks (NHSD-End-User-Organisation,
 * X-Forwarded-For), so changing a header never buys a fresh allowance (docs/security.md).
 *  - bearer token / client certificate: the sender system that authenticated;
 *  - through the BaRS proxy (or unauthenticated, when sender authentication is not configured): the
 *    one registered sender linked to the service that the call can be (active, accepting its
 *    NHSD-End-User-Organisation); when that is not exactly one, a bucket shared by every such call
 *    of that proxy certificate (or of all unauthenticated callers) at that service.
 * A direct sender and the same sender through the proxy share one allowance.
 */
export function fhirRateLimitKey(sender: TSenderIdentity, nhsd: TNhsdHeaders, service?: TServiceRecord): string {
  const at = service ? service.dosServiceId : '*'
  if (sender.method === 'bearer' || sender.method === 'client-cert') return `fhir:sender:${sender.dosServiceId}@${at}`
  const via = sender.method === 'proxy' ? `proxy:${sender.subject.slice(0, 200)}` : 'unauthenticated'
  if (!service) return `fhir:${via}@*`
  const ods = nhsd.endUserOrganisation?.odsCode?.toUpperCase()
  const candidates = service.senders.filter((s) => s.active && (s.odsCodes.length === 0 || (ods !== undefined && s.odsCodes.some((c) => c.toUpperCase() === ods))))
  if (candidates.length === 1) return `fhir:sender:${candidates[0]!.dosServiceId}@${at}`
  return `fhir:${via}:shared@${at}`
}
