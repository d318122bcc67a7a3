import type { CapabilityStatement } from '@medplum/fhirtypes'
import { buildCapabilityStatement } from '@/lib/bars/capability-statement'
import { serviceRepository, type TServiceRecord } from '@/lib/services/service-repository'
import { fhirBaseUrl } from './fhir-base-url'

export const SOFTWARE = { name: 'BaRS Inbox', version: '0.1.0' } as const

/**
 * GET /metadata: built at request time from the service configuration in the database (never
 * cached in memory, so every instance shows an admin's change at once). With a target identifier,
 * for that service only; without, for every active service.
 */
export async function getCapabilityStatement(service?: TServiceRecord, now = new Date()): Promise<CapabilityStatement> {
  const services = service ? [service] : await serviceRepository.listActive()
  return buildCapabilityStatement({ services, baseUrl: fhirBaseUrl(), now, software: SOFTWARE })
}
