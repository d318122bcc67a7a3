import type { Bundle, HealthcareService } from '@medplum/fhirtypes'
import { isDosServiceSystem } from '@/lib/bars/identifiers'
import type { TServiceRecord } from '@/lib/services/service-repository'

/**
 * Reply ids for the HealthcareService entries that describe our own service (DoS id in any
 * spelling): they get our service id, as GET /Slot issues it, rather than a fresh one.
 */
export function ourServiceEntryIds(bundle: Bundle, service: TServiceRecord): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of bundle.entry ?? []) {
    if (!e.fullUrl || e.resource?.resourceType !== 'HealthcareService') continue
    const hs = e.resource as HealthcareService
    if ((hs.identifier ?? []).some((i) => isDosServiceSystem(i.system) && i.value?.trim() === service.dosServiceId)) out[e.fullUrl] = service.id
  }
  return out
}

/** The entry (fullUrl) of the focus resource. */
export function focusFullUrl(bundle: Bundle, focus: unknown): string | undefined {
  return bundle.entry?.find((e) => e.resource === focus)?.fullUrl
}
