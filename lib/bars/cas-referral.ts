/**
 * The 999 content a CAS clinician needs (Apps 3 and 4), read from a referral or validation bundle.
 * Pure. Everything read from the inbound bundle is parsed with zod (tolerant: unknown fields pass,
 * a malformed part reads as "not provided" rather than failing the message).
 */
import type { Bundle } from '@medplum/fhirtypes'
import { z } from 'zod'
import { resolveReference } from '@/lib/fhir/bundle'

const ZCoding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() }).loose()
const ZConcept = z.object({ coding: z.array(ZCoding).optional(), text: z.string().optional() }).loose()
const ZPeriod = z.object({ start: z.string().optional(), end: z.string().optional() }).loose()
const ZReference = z.object({ reference: z.string().optional() }).loose()
const ZExtension: z.ZodType<{ url?: string; valueString?: string; extension?: unknown[] }> = z
  .object({ url: z.string().optional(), valueString: z.string().optional(), extension: z.array(z.unknown()).optional() })
  .loose()

const ZHeader = z.object({ extension: z.array(ZExtension).optional() }).loose()
const ZServiceRequest = z
  .object({
    occurrencePeriod: ZPeriod.optional(),
    locationReference: z.array(ZReference).optional(),
    encounter: ZReference.optional(),
    reasonCode: z.array(ZConcept).optional(),
  })
  .loose()
const ZCarePlan = z
  .object({
    status: z.string().optional(),
    period: ZPeriod.optional(),
    activity: z.array(z.object({ outcomeCodeableConcept: z.array(ZConcept).optional() }).loose()).optional(),
  })
  .loose()
const ZEncounter = z.object({ status: z.string().optional(), period: ZPeriod.optional(), identifier: z.array(z.object({ system: z.string().optional(), value: z.string().optional() }).loose()).optional() }).loose()
const ZLocation = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    extension: z.array(ZExtension).optional(),
    address: z
      .object({
        text: z.string().optional(),
        line: z.array(z.string()).optional(),
        city: z.string().optional(),
        district: z.string().optional(),
        state: z.string().optional(),
        postalCode: z.string().optional(),
        country: z.string().optional(),
      })
      .loose()
      .optional(),
    position: z.object({ latitude: z.number().optional(), longitude: z.number().optional() }).loose().optional(),
  })
  .loose()
const ZFlag = z.object({ status: z.string().optional(), category: z.array(ZConcept).optional(), code: ZConcept.optional() }).loose()

export type TOutcomeKind = 'sd' | 'sg' | 'dx' | 'ampds' | 'arp' | 'outcome' | 'other'

export interface TOutcomeCode {
  kind: TOutcomeKind
  system?: string
  code: string
  display?: string
}

export interface TLabelled {
  label: string
  value: string
}

export interface TCasContent {
  /** CDSS used by the 999 call handler (MessageHeader CDSSExtension): Pathways / AMPDS / PaCCS. */
  cdss: { software?: string; version?: string }
  /** Pathways SG/SD/Dx, AMPDS dispatch, ARP and local outcome codes (A3.13; Q13: matched on the code-system name). */
  codes: TOutcomeCode[]
  arpCode?: string
  /** The free-text narrative (consultation / triage summary). */
  narrative: string[]
  carePlanStatus?: string
  /** T5: CarePlan.period.start. */
  clockStart?: string
  /** T0/T1: the requester Encounter's period.start. */
  callConnect?: string
  /** ServiceRequest.occurrencePeriod: App 3 call-back window / App 4 breach time (end). */
  window: { start?: string; end?: string }
  /** The requester's own CAD case reference (Encounter.identifier, A4.38). */
  senderCaseId?: string
  incidentLocation?: { fields: TLabelled[] }
  /** Scene safety: the code sent, or UNK when no scene-safety Flag was sent (A3.16: never shown as safe). */
  sceneSafety: { code: string; display: string; sent: boolean }
  safeguarding: boolean
  flags: { category: string; code: string; status?: string }[]
  cancellationReason?: string
}

/** Q13: table code systems (`…/Id/pathways-sd-code`) and example ones (`…/CodeSystem/pathways-sd-codes`) alike. */
export function outcomeKind(system: string | undefined): TOutcomeKind {
  const last = (system ?? '').split('/').pop()?.toLowerCase() ?? ''
  if (/^pathways-sd-codes?$/.test(last)) return 'sd'
  if (/^pathways-sg-codes?$/.test(last)) return 'sg'
  if (/^pathways-dx-codes?$/.test(last)) return 'dx'
  if (/^ampds(-dispatch)?-codes?$/.test(last)) return 'ampds'
  if (/^(arp-priority-codes?|pathways-arp-codes?)$/.test(last)) return 'arp'
  if (/^response-outcome-codes?$/.test(last)) return 'outcome'
  return 'other'
}

export const SCENE_SAFETY_DISPLAY: Readonly<Record<string, string>> = {
  S: 'The scene is safe',
  U: 'The scene is unsafe',
  UNK: 'Unknown',
  UT: 'Unsafe and trapped',
}

const codingText = (c: z.infer<typeof ZConcept> | undefined) =>
  c?.coding?.map((x) => x.display ?? x.code).filter(Boolean).join(', ') || c?.text || 'Not provided'

function entriesOf(bundle: Bundle, type: string): unknown[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type)
}

function parsed<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const r = schema.safeParse(value)
  return r.success ? r.data : undefined
}

function innerExtensions(ext: { extension?: unknown[] } | undefined) {
  return (ext?.extension ?? []).map((e) => parsed(ZExtension, e)).filter((e): e is NonNullable<typeof e> => !!e)
}

const LOCATION_EXTENSION_LABELS: Record<string, string> = {
  uprn: 'UPRN',
  pafkey: 'PAF key',
  eastings: 'Eastings',
  northings: 'Northings',
  what3words: 'what3words',
}

/** Every address field of the incident Location (A3.14 / A4.13), labelled, in a fixed order. */
export function locationFields(loc: z.infer<typeof ZLocation>): TLabelled[] {
  const out: TLabelled[] = []
  const push = (label: string, value: string | undefined) => {
    if (value?.trim()) out.push({ label, value: value.trim() })
  }
  push('Name', loc.name)
  push('Description', loc.description)
  push('Address', loc.address?.text)
  loc.address?.line?.forEach((l, i) => push(`Address line ${i + 1}`, l))
  push('Town or city', loc.address?.city)
  push('District', loc.address?.district)
  push('County', loc.address?.state)
  push('Postcode', loc.address?.postalCode)
  push('Country', loc.address?.country)
  for (const ext of loc.extension ?? []) {
    for (const inner of innerExtensions(ext)) {
      const key = (inner.url ?? '').toLowerCase()
      push(LOCATION_EXTENSION_LABELS[key] ?? inner.url ?? 'Location detail', inner.valueString)
    }
  }
  if (loc.position?.latitude !== undefined && loc.position.longitude !== undefined) {
    push('Latitude, longitude', `${loc.position.latitude}, ${loc.position.longitude}`)
  }
  return out
}

/** Read the 999 content of an App 3 referral or App 4 validation bundle. */
export function readCasContent(bundle: Bundle): TCasContent {
  const header = parsed(ZHeader, (bundle.entry ?? [])[0]?.resource)
  const cdssExt = (header?.extension ?? []).find((e) => /CDSSExtension$/i.test(e.url ?? ''))
  const inner = innerExtensions(cdssExt)
  const cdss = {
    software: inner.find((e) => /^requesterCDSSsoftware$/i.test(e.url ?? ''))?.valueString,
    version: inner.find((e) => /^requesterCDSSversion$/i.test(e.url ?? ''))?.valueString,
  }

  const srRaw = entriesOf(bundle, 'ServiceRequest')[0]
  const sr = parsed(ZServiceRequest, srRaw)
  const carePlan = parsed(ZCarePlan, entriesOf(bundle, 'CarePlan')[0])
  const encRaw = sr?.encounter?.reference ? resolveReference(bundle, sr.encounter.reference) : entriesOf(bundle, 'Encounter')[0]
  const encounter = parsed(ZEncounter, encRaw)

  const codes: TOutcomeCode[] = []
  const narrative: string[] = []
  for (const activity of carePlan?.activity ?? []) {
    for (const concept of activity.outcomeCodeableConcept ?? []) {
      for (const c of concept.coding ?? []) if (c.code) codes.push({ kind: outcomeKind(c.system), system: c.system, code: c.code, display: c.display })
      if (concept.text?.trim()) narrative.push(concept.text.trim())
    }
  }

  const locRef = sr?.locationReference?.[0]?.reference
  const locRaw = (locRef ? resolveReference(bundle, locRef) : undefined) ?? entriesOf(bundle, 'Location')[0]
  const location = parsed(ZLocation, locRaw)

  const flags = entriesOf(bundle, 'Flag')
    .map((f) => parsed(ZFlag, f))
    .filter((f): f is NonNullable<typeof f> => !!f)
  const categoryCode = (f: z.infer<typeof ZFlag>) => f.category?.flatMap((c) => c.coding ?? []).find((c) => /flag-categories-bars$/i.test(c.system ?? ''))?.code?.toUpperCase()
  const ss = flags.find((f) => categoryCode(f) === 'SS')
  const ssCoding = ss?.code?.coding?.find((c) => c.code)
  const sceneSafety = ss
    ? {
        code: ssCoding?.code?.toUpperCase() ?? 'OTHER',
        // Q12: codes no longer in the CodeSystem (UT) are shown by their display text.
        display: ssCoding?.display ?? SCENE_SAFETY_DISPLAY[ssCoding?.code?.toUpperCase() ?? ''] ?? ss.code?.text ?? 'Not coded',
        sent: true,
      }
    : { code: 'UNK', display: 'Unknown (scene safety was not sent)', sent: false }

  return {
    cdss,
    codes,
    arpCode: codes.find((c) => c.kind === 'arp')?.code.toUpperCase(),
    narrative,
    carePlanStatus: carePlan?.status,
    clockStart: carePlan?.period?.start,
    callConnect: encounter?.period?.start,
    window: { start: sr?.occurrencePeriod?.start, end: sr?.occurrencePeriod?.end },
    senderCaseId: encounter?.identifier?.find((i) => i.value)?.value,
    incidentLocation: location ? { fields: locationFields(location) } : undefined,
    sceneSafety,
    safeguarding: flags.some((f) => categoryCode(f) === 'SG' && f.status !== 'inactive'),
    flags: flags.map((f) => ({ category: codingText(f.category?.[0]), code: codingText(f.code), status: f.status })),
    cancellationReason: sr?.reasonCode?.map((r) => r.text).find(Boolean),
  }
}

/**
 * ARP categories from most to least urgent (CodeSystem arp-priority-codes). A lower index is a
 * higher priority; codes not in the list have no rank (the clock rule then keeps the original T5).
 */
export const ARP_ORDER = ['C1', 'C2', 'C3', 'C4', 'C4T', 'C5', 'HCP1', 'HCP2', 'HCP3', 'HCP4', 'HP4T', 'IFT1', 'IFT2', 'IFT3', 'IFT4'] as const
export type TArpCode = (typeof ARP_ORDER)[number]

export const ARP_DISPLAY: Readonly<Record<string, string>> = {
  C1: 'Cat1 Life-threatening', C2: 'Cat2 Emergency', C3: 'Cat3 Urgent', C4: 'Cat4 Less Urgent', C4T: 'Cat4T Less Urgent (telephone)', C5: 'Cat5 Hear and treat / refer',
  HCP1: 'HCP 1 hour', HCP2: 'HCP 2 hours', HCP3: 'HCP 3 hours', HCP4: 'HCP 4 hours', HP4T: 'HCP 4 hours (telephone)',
  IFT1: 'IFT 1 hour', IFT2: 'IFT 2 hours', IFT3: 'IFT 3 hours', IFT4: 'IFT 4 hours',
}

/** Rank for the clock rule: only the C-categories are comparable (C1 most urgent). */
export function arpRank(code: string | undefined): number | undefined {
  const c = code?.toUpperCase()
  const i = ['C1', 'C2', 'C3', 'C4', 'C4T', 'C5'].indexOf(c ?? '')
  return i < 0 ? undefined : i
}

/** True when `validated` is a higher priority (more urgent) than `original` (A4.36). */
export function isUpgrade(original: string | undefined, validated: string | undefined): boolean {
  const a = arpRank(original)
  const b = arpRank(validated)
  return a !== undefined && b !== undefined && b < a
}
