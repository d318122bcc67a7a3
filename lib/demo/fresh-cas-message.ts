/**
 * Fresh copies of the real 999 → CAS examples addressed to a CAS: destination = the CAS DoS id, a
 * new Bundle.id, times relative to `now`. No imports but types, so Playwright (e2e) can load it.
 */
import type { Bundle } from '@medplum/fhirtypes'

export const DEMO_CAS_DOS_ID = '555555555'

export interface TFreshOpts {
  now: Date
  /** DoS id of the CAS (MessageHeader.destination.endpoint); default the demo CAS. */
  destination?: string
  /** Minutes from now to the breach / call-back time (occurrencePeriod.end); default the example's offset. */
  breachMinutes?: number
  /** Patient name and NHS number (null = none). */
  given?: string
  family?: string
  nhsNumber?: string | null
  /** Our ServiceRequest id, for an update or cancellation that read it from us first. */
  serviceRequestId?: string
}

const shift = (iso: string | undefined, base: number, now: number): string | undefined => (iso ? new Date(now + (Date.parse(iso) - base)).toISOString() : undefined)

/** A fresh copy of a 999 → CAS example bundle. The example's own times keep their offsets from its SR.occurrencePeriod.start. */
export function freshenCasMessage(example: unknown, opts: TFreshOpts): Bundle {
  const bundle = structuredClone(example) as Bundle
  bundle.id = crypto.randomUUID()
  const now = opts.now.getTime()
  const stamp = opts.now.toISOString()
  bundle.timestamp = stamp
  if (bundle.meta) bundle.meta.lastUpdated = stamp
  const sr = bundle.entry?.find((e) => e.resource?.resourceType === 'ServiceRequest')?.resource
  const base = sr?.resourceType === 'ServiceRequest' && sr.occurrencePeriod?.start ? Date.parse(sr.occurrencePeriod.start) : now
  for (const e of bundle.entry ?? []) {
    const r = e.resource!
    if (r.meta) r.meta.lastUpdated = stamp
    if (r.resourceType === 'MessageHeader' && r.destination?.[0]) r.destination[0].endpoint = `https://fhir.nhs.uk/Id/dos-service-id|${opts.destination ?? DEMO_CAS_DOS_ID}`
    if (r.resourceType === 'ServiceRequest') {
      const start = shift(r.occurrencePeriod?.start, base, now)
      const end = opts.breachMinutes !== undefined ? new Date(now + opts.breachMinutes * 60_000).toISOString() : shift(r.occurrencePeriod?.end, base, now)
      r.occurrencePeriod = { ...(start ? { start } : {}), ...(end ? { end } : {}) }
      if (opts.serviceRequestId) r.id = opts.serviceRequestId
    }
    if (r.resourceType === 'CarePlan' && r.period?.start) r.period = { ...r.period, start: shift(r.period.start, base, now) }
    if (r.resourceType === 'Encounter' && r.period?.start) r.period = { start: shift(r.period.start, base, now), ...(r.period.end ? { end: shift(r.period.end, base, now) } : {}) }
    if (r.resourceType === 'Patient') {
      if (opts.given || opts.family) r.name = [{ use: 'official', family: opts.family ?? 'Jones', given: [opts.given ?? 'Julie'] }]
      if (opts.nhsNumber === null) r.identifier = r.identifier?.filter((i) => i.system !== 'https://fhir.nhs.uk/Id/nhs-number')
      else if (opts.nhsNumber) r.identifier = r.identifier?.map((i) => (i.system === 'https://fhir.nhs.uk/Id/nhs-number' ? { ...i, value: opts.nhsNumber! } : i))
    }
  }
  return bundle
}

