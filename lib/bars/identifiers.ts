/** Identifier and code systems of the NHS / BaRS world, with the spellings seen in the wild. */
export const SYSTEMS = {
  dosServiceId: 'https://fhir.nhs.uk/Id/dos-service-id',
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  odsOrganisation: 'https://fhir.nhs.uk/Id/ods-organization-code',
  messageEvents: 'https://fhir.nhs.uk/CodeSystem/message-events-bars',
  messageReason: 'https://fhir.nhs.uk/CodeSystem/message-reason-bars',
  useCases: 'https://fhir.nhs.uk/CodeSystem/usecases-categories-bars',
  serviceRequestCategory: 'https://fhir.nhs.uk/CodeSystem/message-category-servicerequest',
  flagCategories: 'https://fhir.nhs.uk/CodeSystem/flag-categories-bars',
} as const

// Older artefacts use http:// and the pre-1.8.2 CodeSystem/dos-id (open question A4).
const DOS_SYSTEM_ALIASES = new Set([
  'https://fhir.nhs.uk/id/dos-service-id',
  'http://fhir.nhs.uk/id/dos-service-id',
  'https://fhir.nhs.uk/codesystem/dos-id',
  'http://fhir.nhs.uk/codesystem/dos-id',
])

export function isDosServiceSystem(system: string | undefined): boolean {
  return !!system && DOS_SYSTEM_ALIASES.has(system.trim().toLowerCase())
}

/** Split a FHIR token `system|value` (MessageHeader endpoints, search parameters). */
export function parseToken(token: string | undefined): { system?: string; value: string } | undefined {
  if (!token) return undefined
  const bar = token.indexOf('|')
  if (bar < 0) return token.trim() ? { value: token.trim() } : undefined
  const system = token.slice(0, bar).trim()
  const value = token.slice(bar + 1).trim()
  if (!value) return undefined
  return system ? { system, value } : { value }
}

/** The DoS service id named by a `system|value` endpoint, or undefined when it is not a DoS id. */
export function dosIdFromEndpoint(endpoint: string | undefined): string | undefined {
  const t = parseToken(endpoint)
  if (!t) return undefined
  if (t.system && !isDosServiceSystem(t.system)) return undefined
  return t.value
}

/** NHS number as shown to people: 3-3-4. */
export function formatNhsNumber(nhs: string | null | undefined): string | undefined {
  if (!nhs) return undefined
  const d = nhs.replace(/\s+/g, '')
  return /^\d{10}$/.test(d) ? `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` : nhs
}

/** Modulus-11 check of an NHS number. */
export function isValidNhsNumber(nhs: string): boolean {
  if (!/^\d{10}$/.test(nhs)) return false
  const sum = [...nhs.slice(0, 9)].reduce((acc, ch, i) => acc + Number(ch) * (10 - i), 0)
  const check = 11 - (sum % 11)
  const expected = check === 11 ? 0 : check
  return expected !== 10 && expected === Number(nhs[9])
}
