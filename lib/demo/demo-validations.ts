/**
 * Fresh copies of the real 999 → CAS examples (VALREQ01/02/03, SERVREQ02, REFREQ02) addressed to a
 * CAS: destination = the CAS DoS id, a new Bundle.id, times relative to `now`. For tests, the
 * simulator's 999 requester mode and e2e. Relative imports only, so Playwright can load it too.
 */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes'
import refreq02 from '../bars/__fixtures__/examples/REFREQ02_Referral_Service_Request_New_Full_999_to_CAS.json'
import servreq02 from '../bars/__fixtures__/examples/SERVREQ02_Service_Request_Delete_Entered_in_error.json'
import valreq01 from '../bars/__fixtures__/examples/VALREQ01_Validation_Service_Request_New_Full_999_to_CAS.json'
import valreq02 from '../bars/__fixtures__/examples/VALREQ02_Validation_Service_Request_Update_Full_999_to_CAS_Lower_Priority.json'
import valreq03 from '../bars/__fixtures__/examples/VALREQ03_Validation_Service_Request_New_Full_AMPDS_999_to_CAS.json'

export const DEMO_CAS_DOS_ID = '555555555'

export const CAS_EXAMPLES = {
  VALREQ01: valreq01,
  VALREQ02: valreq02,
  VALREQ03: valreq03,
  SERVREQ02: servreq02,
  REFREQ02: refreq02,
} as const
export type TCasExample = keyof typeof CAS_EXAMPLES

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

/** A fresh copy of one of the 999 → CAS examples. The example's own times keep their offsets from its SR.occurrencePeriod.start. */
export function freshCasMessage(name: TCasExample, opts: TFreshOpts): Bundle {
  const bundle = structuredClone(CAS_EXAMPLES[name]) as unknown as Bundle
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

/** An entry of a bundle by resource type (tests and the simulator). */
export function entryOfType(bundle: Bundle, type: string): BundleEntry | undefined {
  return bundle.entry?.find((e) => e.resource?.resourceType === type)
}
