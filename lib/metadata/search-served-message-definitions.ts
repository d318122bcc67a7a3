import type { Bundle, MessageDefinition } from '@medplum/fhirtypes'
import { searchMessageDefinitions } from '@/lib/bars/message-definitions'
import { serviceRepository } from '@/lib/services/service-repository'
import { fhirBaseUrl } from './fhir-base-url'

/**
 * GET /MessageDefinition?context=…: our per-service definitions, built at request time from the
 * service configuration in the database (use cases, highest Application version).
 */
export async function searchServedMessageDefinitions(contexts: string[]): Promise<Bundle<MessageDefinition>> {
  const services = await serviceRepository.listActive()
  return searchMessageDefinitions(
    services.map((s) => ({ dosServiceId: s.dosServiceId, name: s.name, useCases: s.useCases, appVersion: s.maxAppVersion })),
    contexts,
    { baseUrl: fhirBaseUrl() },
  )
}
