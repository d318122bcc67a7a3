import type { Bundle, MessageDefinition } from '@medplum/fhirtypes'
import { searchMessageDefinitions } from '@/lib/bars/message-definitions'
import { appVersionRange } from '@/lib/bars/service-kinds'
import { serviceRepository } from '@/lib/services/service-repository'
import { fhirBaseUrl } from './fhir-base-url'

/**
 * GET /MessageDefinition?context=…: our per-service definitions, built at request time from the
 * service configuration in the database (use cases, highest Application version of the service's
 * Application: App 5's national 1.2.0 for a pharmacy).
 */
export async function searchServedMessageDefinitions(contexts: string[]): Promise<Bundle<MessageDefinition>> {
  const services = await serviceRepository.listActive()
  return searchMessageDefinitions(
    services.map((s) => ({ dosServiceId: s.dosServiceId, name: s.name, useCases: s.useCases, appVersion: appVersionRange(s, s.useCases[0]).max })),
    contexts,
    { baseUrl: fhirBaseUrl() },
  )
}
