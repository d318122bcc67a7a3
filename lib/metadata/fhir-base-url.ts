import { env } from '@/lib/env'

/** Our FHIR base URL as registered in the BaRS Endpoint Catalogue: BARS_PUBLIC_URL + /fhir. */
export function fhirBaseUrl(): string {
  return `${env().BARS_PUBLIC_URL.replace(/\/+$/, '')}/fhir`
}
