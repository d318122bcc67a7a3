import type { Bundle, Patient, ServiceRequest } from '@medplum/fhirtypes'
import refreq01 from '@/lib/bars/__fixtures__/examples/REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json'

/** The real 111→ED referral example, as a fresh copy. */
export function exampleReferral(): Bundle {
  return structuredClone(refreq01) as unknown as Bundle
}

/**
 * A copy of the 111→ED example made new: its own Bundle.id, no link to the example booking, a
 * different patient and a deadline relative to `now`. Its safeguarding flag is made current (the
 * example's ended on 20 November 2021), unless `safeguarding: false` drops it. For demos and tests.
 */
export function freshReferral(opts: {
  now: Date
  deadlineMinutes?: number
  given?: string
  family?: string
  nhsNumber?: string | null
  safeguarding?: boolean
}): Bundle {
  const bundle = exampleReferral()
  bundle.id = crypto.randomUUID()
  const stamp = opts.now.toISOString()
  bundle.timestamp = stamp
  for (const e of bundle.entry ?? []) {
    const r = e.resource!
    if (r.meta) r.meta.lastUpdated = stamp
    if (r.resourceType === 'ServiceRequest') {
      const sr = r as ServiceRequest
      sr.supportingInfo = sr.supportingInfo?.filter((s) => !s.reference?.startsWith('Appointment/'))
      sr.occurrencePeriod = { start: stamp, end: new Date(opts.now.getTime() + (opts.deadlineMinutes ?? 60) * 60_000).toISOString() }
      sr.authoredOn = stamp
    }
    if (r.resourceType === 'Flag' && JSON.stringify(r.category ?? []).includes('"SG"')) {
      r.period = { start: r.period?.start, end: new Date(opts.now.getTime() + 30 * 86_400_000).toISOString() }
    }
    if (r.resourceType === 'Patient') {
      const p = r as Patient
      if (opts.given || opts.family) {
        p.name = [{ use: 'official', family: opts.family ?? 'Jones', given: [opts.given ?? 'Julie'], text: `${opts.given ?? 'Julie'} ${opts.family ?? 'Jones'}` }]
      }
      if (opts.nhsNumber === null) p.identifier = p.identifier?.filter((i) => i.system !== 'https://fhir.nhs.uk/Id/nhs-number')
      else if (opts.nhsNumber) p.identifier = p.identifier?.map((i) => (i.system === 'https://fhir.nhs.uk/Id/nhs-number' ? { ...i, value: opts.nhsNumber! } : i))
    }
  }
  if (opts.safeguarding === false) {
    bundle.entry = bundle.entry?.filter(
      (e) => !(e.resource?.resourceType === 'Flag' && JSON.stringify(e.resource.category ?? []).includes('"SG"')),
    )
    const removed = new Set(['urn:uuid:ea37a499-245c-40e9-b0fa-df4383c4d413'])
    for (const e of bundle.entry ?? []) {
      if (e.resource?.resourceType === 'CarePlan') e.resource.supportingInfo = e.resource.supportingInfo?.filter((s) => !removed.has(s.reference ?? ''))
    }
  }
  return bundle
}

/** The demo inbox: a handful of referrals with different deadlines and data. */
export function demoReferralVariants(now: Date): Bundle[] {
  return [
    freshReferral({ now, deadlineMinutes: 12, given: 'Julie', family: 'Jones', nhsNumber: '9449305552' }),
    freshReferral({ now, deadlineMinutes: 45, given: 'Amir', family: 'Khan', nhsNumber: '9449306060', safeguarding: false }),
    freshReferral({ now, deadlineMinutes: 180, given: 'Grace', family: 'Okafor', nhsNumber: null, safeguarding: false }),
  ]
}
