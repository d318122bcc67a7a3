import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes'

export type TResourceOf<K extends Resource['resourceType']> = Extract<Resource, { resourceType: K }>

/**
 * Resolve a reference found inside a bundle to the entry it points at: `urn:uuid:` fullUrls,
 * relative `Type/id` (matched against resource ids and fullUrl suffixes) and absolute URLs.
 * Returns undefined for references that point outside the bundle.
 */
export function resolveEntry(bundle: Bundle, reference: string | undefined): BundleEntry | undefined {
  if (!reference) return undefined
  const entries = bundle.entry ?? []
  const exact = entries.find((e) => e.fullUrl === reference)
  if (exact) return exact
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference)
  if (!m) return undefined
  const [, type, id] = m
  return entries.find(
    (e) => e.resource?.resourceType === type && (e.resource?.id === id || e.fullUrl?.endsWith(`/${type}/${id}`)),
  )
}

export function resolveReference(bundle: Bundle, reference: string | undefined): Resource | undefined {
  return resolveEntry(bundle, reference)?.resource
}

export function resourcesOfType<K extends Resource['resourceType']>(bundle: Bundle, type: K): TResourceOf<K>[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === type ? [e.resource as TResourceOf<K>] : []))
}

/** `Type/id` when the reference is relative to a server (not a bundle-local urn:uuid). */
export function parseRelativeReference(reference: string | undefined): { type: string; id: string } | undefined {
  if (!reference || reference.startsWith('urn:')) return undefined
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(reference)
  return m ? { type: m[1]!, id: m[2]! } : undefined
}
