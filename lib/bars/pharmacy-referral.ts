import { z } from 'zod'
import type { Bundle } from '@medplum/fhirtypes'
import { resolveReference } from '@/lib/fhir/bundle'

/**
 * What an Application 5 (GP → Community Pharmacy, Pharmacy First `a5t1`) referral says that the
 * pharmacy must be shown (../shared/bars/apps-3-4-5.md §4.2, rules A5.6–A5.12), read with zod from
 * the message bundle. Pure: no I/O. Every optional part is read tolerantly — a resource that does
 * not have the expected shape is left out (shown as "Not provided"), never a reason to refuse the
 * referral: the envelope and the referral itself have already been checked by lib/bars/message.ts,
 * the MessageDefinition check and summariseReferral.
 */

const ZCoding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() })
const ZConcept = z.object({ coding: z.array(ZCoding).optional(), text: z.string().optional() })
const ZRef = z.object({ reference: z.string().optional() })
const ZIdentifier = z.object({ system: z.string().optional(), value: z.string().optional() })
const ZPeriod = z.object({ start: z.string().optional(), end: z.string().optional() })
const ZTelecom = z.object({ system: z.string().optional(), value: z.string().optional(), use: z.string().optional(), rank: z.number().optional() })
const ZExtension = z.object({ url: z.string().optional(), valuePositiveInt: z.number().optional() })
const ZHumanName = z.object({ text: z.string().optional(), family: z.string().optional(), given: z.array(z.string()).optional(), prefix: z.array(z.string()).optional() })

const ZOrganization = z.object({
  resourceType: z.literal('Organization'),
  name: z.string().optional(),
  identifier: z.array(ZIdentifier).optional(),
  type: z.array(ZConcept).optional(),
})
const ZPractitionerRole = z.object({ resourceType: z.literal('PractitionerRole'), practitioner: ZRef.optional(), organization: ZRef.optional() })
const ZServiceRequest = z.object({
  resourceType: z.literal('ServiceRequest'),
  basedOn: z.array(ZRef).optional(),
  subject: ZRef.optional(),
  requester: ZRef.optional(),
  occurrencePeriod: ZPeriod.optional(),
  authoredOn: z.string().optional(),
})
const ZCarePlan = z.object({
  resourceType: z.literal('CarePlan'),
  addresses: z.array(ZRef).optional(),
  activity: z.array(z.object({ outcomeCodeableConcept: z.array(ZConcept).optional(), reference: ZRef.optional() })).optional(),
})
const ZTask = z.object({
  resourceType: z.literal('Task'),
  code: ZConcept.optional(),
  description: z.string().optional(),
  restriction: z.object({ period: ZPeriod.optional() }).optional(),
})
const ZCondition = z.object({ resourceType: z.literal('Condition'), code: ZConcept.optional(), category: z.array(ZConcept).optional() })
const ZFlag = z.object({ resourceType: z.literal('Flag'), status: z.string().optional(), category: z.array(ZConcept).optional(), code: ZConcept.optional() })
const ZPatient = z.object({
  resourceType: z.literal('Patient'),
  name: z.array(ZHumanName.extend({ use: z.string().optional() })).optional(),
  telecom: z.array(ZTelecom).optional(),
  generalPractitioner: z.array(ZRef).optional(),
  contact: z
    .array(
      z.object({
        extension: z.array(ZExtension).optional(),
        relationship: z.array(ZConcept).optional(),
        name: ZHumanName.optional(),
        telecom: z.array(ZTelecom).optional(),
      }),
    )
    .optional(),
})
const ZConsent = z.object({ resourceType: z.literal('Consent'), status: z.string().optional(), category: z.array(ZConcept).optional(), policyRule: ZConcept.optional() })
const ZNamed = z.object({ resourceType: z.string(), code: ZConcept.optional(), medicationCodeableConcept: ZConcept.optional() })

/** The Pharmacy First Task codes (A5.8): the current SNOMED concept and the legacy ones (Q21). */
export const PHARMACY_FIRST_TASK_CODES: Record<string, string> = {
  '2140231000000104': 'Referral to Community Pharmacy Pharmacy First Service',
  '1577041000000109': 'Community Pharmacist Consultation Service for minor illness (legacy code)',
  '1577041000000100': 'Community Pharmacist Consultation Service for minor illness (legacy code)',
}

/** Organization.type codes a sender may give (SNOMED refset 1127531000000102, A5.7). */
const ORG_TYPES: Record<string, string> = {
  '788007007': 'General practice service',
}

/** The Pharmacy First guide: the patient should contact the pharmacy within 24 hours (A5.9). */
export const GUIDE_HOURS = 24

export interface TPharmacyOrg {
  name?: string
  odsCode?: string
  /** Organization.type display; undefined = "type not stated" (Q20: do not reject). */
  type?: string
}

export interface TPharmacyContact {
  /** "Patient" or the relationship (e.g. "Emergency Contact"). */
  who: string
  name?: string
  rank?: number
  telecom: { system: string; value: string; use?: string }[]
}

export interface TPharmacyFlag {
  category: string
  description: string
  reasonableAdjustment: boolean
}

export interface TPharmacyDetail {
  /** The organisation that sent the referral (A5.6): MessageHeader.sender, else the requester's organisation. */
  referringOrganisation: TPharmacyOrg
  /** The patient's registered GP practice (Patient.generalPractitioner): may differ from the referrer. */
  registeredGp?: TPharmacyOrg
  referrerName?: string
  /** The presenting complaint (Condition.code, A5.8), e.g. "Vomiting". */
  condition?: string
  /** The service and pathway asked for: the Task code (Pharmacy First) and the clinical pathway text. */
  serviceRequested?: string
  pathway?: string
  /** Task.description: the instruction for the pharmacy. */
  instruction?: string
  guideTime: string
  guideTimeSource: 'task' | 'service-request' | 'default'
  /** Individual requirements: every Flag (A5.10, A5.12), reasonable adjustments first. */
  flags: TPharmacyFlag[]
  contacts: TPharmacyContact[]
  /** e.g. "Direct Care (implied), active". */
  consent?: string
  medications: string[]
  allergies: string[]
}

const text = (c: z.infer<typeof ZConcept> | undefined): string | undefined => c?.text?.trim() || c?.coding?.find((x) => x.display)?.display || c?.coding?.[0]?.code

function parseAs<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const r = schema.safeParse(value)
  return r.success ? r.data : undefined
}

function resolveAs<T>(bundle: Bundle, schema: z.ZodType<T>, reference: string | undefined): T | undefined {
  return reference ? parseAs(schema, resolveReference(bundle, reference)) : undefined
}

function allOf<T>(bundle: Bundle, schema: z.ZodType<T>): T[] {
  return (bundle.entry ?? []).flatMap((e) => {
    const r = parseAs(schema, e.resource)
    return r ? [r] : []
  })
}

function toInstant(value: string | undefined): string | undefined {
  if (!value) return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}

function org(o: z.infer<typeof ZOrganization> | undefined): TPharmacyOrg | undefined {
  if (!o) return undefined
  const typeCoding = o.type?.flatMap((t) => t.coding ?? [])[0]
  const type = o.type?.[0]?.text ?? typeCoding?.display ?? (typeCoding?.code ? (ORG_TYPES[typeCoding.code] ?? typeCoding.code) : undefined)
  return {
    name: o.name,
    odsCode: o.identifier?.find((i) => /ods-organi[sz]ation-code$/i.test(i.system ?? ''))?.value,
    type,
  }
}

function personName(n: z.infer<typeof ZHumanName> | undefined): string | undefined {
  if (!n) return undefined
  return n.text?.trim() || [...(n.given ?? []), n.family].filter(Boolean).join(' ') || undefined
}

/** The guide time (A5.9): the earliest Task end, else ServiceRequest.occurrencePeriod.end, else receipt + 24 h. */
function guide(tasks: z.infer<typeof ZTask>[], sr: z.infer<typeof ZServiceRequest>, receivedAt: Date): Pick<TPharmacyDetail, 'guideTime' | 'guideTimeSource'> {
  const taskEnds = tasks.map((t) => toInstant(t.restriction?.period?.end)).filter((x): x is string => !!x).sort()
  if (taskEnds[0]) return { guideTime: taskEnds[0], guideTimeSource: 'task' }
  const srEnd = toInstant(sr.occurrencePeriod?.end)
  if (srEnd) return { guideTime: srEnd, guideTimeSource: 'service-request' }
  return { guideTime: new Date(receivedAt.getTime() + GUIDE_HOURS * 3_600_000).toISOString(), guideTimeSource: 'default' }
}

const RANK_URL = /Extension-UKCore-ContactRank$/

function contacts(patient: z.infer<typeof ZPatient> | undefined): TPharmacyContact[] {
  if (!patient) return []
  const tel = (t: z.infer<typeof ZTelecom>[] | undefined) =>
    [...(t ?? [])]
      .filter((x) => x.value)
      .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))
      .map((x) => ({ system: x.system ?? 'other', value: x.value!, ...(x.use ? { use: x.use } : {}) }))
  const out: TPharmacyContact[] = []
  if (patient.telecom?.length) out.push({ who: 'Patient', telecom: tel(patient.telecom) })
  for (const c of patient.contact ?? []) {
    const rel = c.relationship?.flatMap((r) => r.coding ?? [])[0]
    const self = rel?.code === 'ONESELF'
    out.push({
      who: self ? 'Patient' : (text(c.relationship?.[0]) ?? 'Contact'),
      name: self ? undefined : personName(c.name),
      rank: c.extension?.find((e) => RANK_URL.test(e.url ?? ''))?.valuePositiveInt,
      telecom: tel(c.telecom),
    })
  }
  return out.sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))
}

/** The CarePlan narrative as written: some senders escape newlines (REFREQ03 carries a literal "\n"). */
function narrative(value: string | undefined): string | undefined {
  return value?.replace(/\\n/g, '\n').trim() || undefined
}

/**
 * Read an App 5 referral's display detail. `focus` is the ServiceRequest the MessageHeader names;
 * `senderRef` is MessageHeader.sender.reference.
 */
export function readPharmacyReferral(bundle: Bundle, focus: unknown, senderRef: string | undefined, receivedAt: Date): TPharmacyDetail {
  const sr = parseAs(ZServiceRequest, focus) ?? { resourceType: 'ServiceRequest' as const }
  const carePlan = (sr.basedOn ?? []).map((r) => resolveAs(bundle, ZCarePlan, r.reference)).find(Boolean) ?? allOf(bundle, ZCarePlan)[0]

  // Tasks: those the CarePlan's activities name, else every Task in the bundle.
  const planned = (carePlan?.activity ?? []).map((a) => resolveAs(bundle, ZTask, a.reference?.reference)).filter((t) => !!t)
  const tasks = planned.length ? planned : allOf(bundle, ZTask)
  const pfTask = tasks.find((t) => t.code?.coding?.some((c) => c.code && c.code in PHARMACY_FIRST_TASK_CODES)) ?? tasks[0]
  const taskCode = pfTask?.code?.coding?.find((c) => c.code && c.code in PHARMACY_FIRST_TASK_CODES)

  const conditions = (carePlan?.addresses ?? []).map((r) => resolveAs(bundle, ZCondition, r.reference)).filter((c) => !!c)
  const condition = conditions[0] ?? allOf(bundle, ZCondition)[0]

  // The referring organisation (A5.6): the MessageHeader's sender, else the requester's organisation.
  let referring = org(resolveAs(bundle, ZOrganization, senderRef))
  let referrerName: string | undefined
  const requester = sr.requester?.reference ? resolveReference(bundle, sr.requester.reference) : undefined
  const requesterRole = parseAs(ZPractitionerRole, requester)
  const requesterPractitioner = requesterRole ? resolveReference(bundle, requesterRole.practitioner?.reference) : requester
  const practitionerName = parseAs(z.object({ resourceType: z.literal('Practitioner'), name: z.array(ZHumanName).optional() }), requesterPractitioner)
  referrerName = personName(practitionerName?.name?.[0])
  if (!referring) {
    const role = requesterRole ?? allOf(bundle, ZPractitionerRole).find((r) => r.practitioner?.reference === sr.requester?.reference)
    referring = org(resolveAs(bundle, ZOrganization, role?.organization?.reference))
  }
  if (!referring) {
    const organisation = parseAs(ZOrganization, requester)
    referring = org(organisation)
    if (organisation) referrerName = undefined
  }

  const patient = resolveAs(bundle, ZPatient, sr.subject?.reference) ?? allOf(bundle, ZPatient)[0]
  const registeredGp = org(resolveAs(bundle, ZOrganization, patient?.generalPractitioner?.[0]?.reference))

  const flags = allOf(bundle, ZFlag)
    .filter((f) => f.status !== 'inactive' && f.status !== 'entered-in-error')
    .map((f) => {
      const cat = f.category?.flatMap((c) => c.coding ?? [])[0]
      return {
        category: text(f.category?.[0]) ?? 'Flag',
        description: text(f.code) ?? 'No description given',
        reasonableAdjustment: cat?.code === 'RA',
      }
    })
    .sort((a, b) => Number(b.reasonableAdjustment) - Number(a.reasonableAdjustment))

  const consent = allOf(bundle, ZConsent)[0]
  const policy = consent?.policyRule?.coding?.[0]?.code
  const consentText = consent
    ? [text(consent.category?.[0]) ?? 'Consent', policy ? `(${policy.toLowerCase()})` : undefined].filter(Boolean).join(' ') + (consent.status ? `, ${consent.status}` : '')
    : undefined

  const named = allOf(bundle, ZNamed)
  const pathwayText = narrative(carePlan?.activity?.flatMap((a) => a.outcomeCodeableConcept ?? []).map((c) => c.text ?? text(c)).filter(Boolean).join('\n'))

  return {
    referringOrganisation: referring ?? {},
    ...(registeredGp ? { registeredGp } : {}),
    ...(referrerName ? { referrerName } : {}),
    ...(text(condition?.code) ? { condition: text(condition?.code) } : {}),
    ...(taskCode?.code ? { serviceRequested: taskCode.display ?? PHARMACY_FIRST_TASK_CODES[taskCode.code] } : pfTask ? { serviceRequested: text(pfTask.code) } : {}),
    ...(pathwayText ? { pathway: pathwayText } : {}),
    ...(pfTask?.description ? { instruction: pfTask.description } : {}),
    ...guide(tasks, sr, receivedAt),
    flags,
    contacts: contacts(patient),
    ...(consentText ? { consent: consentText } : {}),
    medications: named.filter((r) => r.resourceType === 'MedicationStatement').map((r) => text(r.medicationCodeableConcept)).filter((x): x is string => !!x),
    allergies: named.filter((r) => r.resourceType === 'AllergyIntolerance').map((r) => text(r.code)).filter((x): x is string => !!x),
  }
}

/** How the worklist says the type (A5.7, Q20). */
export function orgTypeLabel(o: TPharmacyOrg): string {
  return o.type ?? 'type not stated'
}

/** The outcomes a pharmacist records (issue 13) with their labels. */
export const PHARMACY_OUTCOMES = ['ADVICE', 'MEDICINE_SUPPLIED', 'ONWARD_REFERRAL', 'NO_CONTACT'] as const
export type TPharmacyOutcome = (typeof PHARMACY_OUTCOMES)[number]
export const OUTCOME_LABELS: Record<TPharmacyOutcome, string> = {
  ADVICE: 'Advice given',
  MEDICINE_SUPPLIED: 'Medicine supplied',
  ONWARD_REFERRAL: 'Onward referral',
  NO_CONTACT: 'Patient did not make contact',
}

export const CONTACT_METHODS = ['PHONE', 'SMS', 'EMAIL', 'IN_PERSON'] as const
export const CONTACT_RESULTS = ['SPOKE_TO_PATIENT', 'NO_ANSWER', 'LEFT_MESSAGE', 'WRONG_NUMBER'] as const
export const CONTACT_METHOD_LABELS: Record<(typeof CONTACT_METHODS)[number], string> = { PHONE: 'Phone', SMS: 'Text message', EMAIL: 'Email', IN_PERSON: 'In person' }
export const CONTACT_RESULT_LABELS: Record<(typeof CONTACT_RESULTS)[number], string> = {
  SPOKE_TO_PATIENT: 'Spoke to the patient',
  NO_ANSWER: 'No answer',
  LEFT_MESSAGE: 'Left a message',
  WRONG_NUMBER: 'Wrong number',
}
