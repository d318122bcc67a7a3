import type {
  AllergyIntolerance,
  Bundle,
  CarePlan,
  CodeableConcept,
  Consent,
  ContactPoint,
  Flag,
  HealthcareService,
  HumanName,
  MedicationStatement,
  Observation,
  Organization,
  Patient,
  Practitioner,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  RelatedPerson,
  ServiceRequest,
} from '@medplum/fhirtypes'
import { resolveReference, resourcesOfType } from '@/lib/fhir/bundle'
import { flagEnd, flagEnded, isSafeguarding } from './flags'
import { SYSTEMS } from './identifiers'

/**
 * What the referral screen shows, read from the stored message bundle (pure). Every field is
 * optional: senders may leave almost anything out, and the screen says "Not provided". No ids are
 * carried into the view (no GUIDs on screen).
 */
export interface TFlagView {
  category: string
  text: string
  safeguarding: boolean
  period?: string
  /** Flag.period as ISO strings, for the screen's date style. */
  start?: string
  end?: string
  /** Flag.period.end is in the past: shown in its own "expired" list, never as current. */
  expired: boolean
}

/** A special patient note about staff safety ("should not be seen alone"), from the sender's additional information. */
export interface TStaffSafetyView {
  title?: string
  detail: string
  activeFrom?: string
  reviewBy?: string
}

export interface TContactView {
  name?: string
  relationship?: string
  phone?: string
  /** Every phone number, best rank first (the first is `phone`). */
  phones: { value: string; use?: string }[]
  other: string[]
}

export interface TReferralView {
  /** Current flags (safeguarding first). */
  flags: TFlagView[]
  /** Flags whose period has ended. */
  expiredFlags: TFlagView[]
  staffSafety: TStaffSafetyView[]
  patient: {
    name?: string
    nhsNumber?: string
    nhsNumberStatus?: string
    birthDate?: string
    gender?: string
    address?: string
    gp?: string
    language?: string
  }
  /** The rank-1 contact with its rank-1 phone number: who to call back. */
  callback?: TContactView
  otherContacts: TContactView[]
  nextOfKin: TContactView[]
  presentingComplaint: { chiefConcern?: string; pathway?: string; symptomDiscriminator?: string; disposition?: string; dispositionCode?: string }
  outcome: { label: string; code?: string; text: string }[]
  consultationSummary?: string
  patientInstruction?: string
  observations: { name: string; value?: string; notes: string[] }[]
  medications: { name: string; dosage?: string; reason?: string; status?: string }[]
  allergies: { substance: string; reactions?: string; severity?: string; status?: string }[]
  consent: { category: string; status?: string; policy?: string }[]
  rejectedServices: { service: string; reason?: string; comment?: string }[]
  otherInformation: { title: string; items: { label: string; value: string }[] }[]
  referral: {
    status?: string
    useCase?: string
    start?: string
    deadline?: string
    authoredOn?: string
    requester?: string
    senderOrganisation?: string
    requestedService?: string
    cancelReason?: string
    cdss?: string
  }
}

const UUIDISH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
/** Text safe to show: trimmed, and never an id. */
function clean(s: string | undefined | null): string | undefined {
  const t = s?.replace(/\/n\s*/g, '\n').trim()
  return t && !UUIDISH.test(t) ? t : undefined
}

export function conceptText(concept: CodeableConcept | undefined): string | undefined {
  return clean(concept?.coding?.find((c) => c.display)?.display ?? concept?.text ?? concept?.coding?.[0]?.code)
}

function humanName(n: HumanName | HumanName[] | undefined): string | undefined {
  const name = Array.isArray(n) ? (n.find((x) => x.use === 'official') ?? n[0]) : n
  if (!name) return undefined
  const built = [name.prefix?.join(' '), name.given?.join(' '), name.family].filter(Boolean).join(' ')
  return clean(name.text ?? built) ?? clean(built)
}

function rank(t: ContactPoint) {
  return t.rank ?? 99
}

function contactView(name: string | undefined, relationship: string | undefined, telecom: ContactPoint[] | undefined): TContactView {
  const sorted = [...(telecom ?? [])].sort((a, b) => rank(a) - rank(b))
  const phones = sorted.filter((t) => (t.system === 'phone' || t.system === 'sms') && t.value).map((t) => ({ value: t.value!, use: t.use }))
  const phone = phones[0]?.value
  const other = sorted.filter((t) => t.value && !phones.some((p) => p.value === t.value)).map((t) => `${t.value}${t.use ? ` (${t.use})` : ''}`)
  return { name, relationship: relationship && /^(self|oneself)$/i.test(relationship) ? 'The patient' : relationship, phone, phones, other }
}

const contactRank = (ext: { url?: string; valuePositiveInt?: number }[] | undefined) =>
  ext?.find((e) => e.url?.endsWith('Extension-UKCore-ContactRank'))?.valuePositiveInt ?? 99

function formatPeriod(p: { start?: string; end?: string } | undefined): string | undefined {
  if (!p?.start && !p?.end) return undefined
  return [p.start ? `from ${p.start.slice(0, 10)}` : undefined, p.end ? `until ${p.end.slice(0, 10)}` : undefined].filter(Boolean).join(' ')
}


function answers(item: QuestionnaireResponseItem): string | undefined {
  const values = (item.answer ?? []).map(
    (a) => a.valueString ?? a.valueCoding?.display ?? a.valueCoding?.code ?? a.valueDateTime?.slice(0, 10) ?? a.valueDate ?? a.valueUri ?? (a.valueBoolean === undefined ? undefined : a.valueBoolean ? 'Yes' : 'No') ?? a.valueInteger?.toString(),
  )
  return clean(values.filter(Boolean).join(', '))
}

/** LinkIds like "ServiceName" or "SPNDetail" as words. */
function label(linkId: string, text?: string): string {
  if (text) return text
  return linkId.replace(/^SPN/, 'Special patient note ').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/\s+/g, ' ').trim()
}

function leafItems(items: QuestionnaireResponseItem[] | undefined): { label: string; value: string }[] {
  return (items ?? []).flatMap((i) => {
    const v = answers(i)
    return [...(v ? [{ label: label(i.linkId ?? '', i.text), value: v }] : []), ...leafItems(i.item)]
  })
}

function observationValue(o: Observation): string | undefined {
  if (o.valueQuantity) return `${o.valueQuantity.value ?? ''} ${o.valueQuantity.unit ?? o.valueQuantity.code ?? ''}`.trim()
  if (o.valueString) return o.valueString
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept)
  if (o.valueBoolean !== undefined) return o.valueBoolean ? 'Yes' : 'No'
  if (o.valueInteger !== undefined) return String(o.valueInteger)
  if (o.component?.length) {
    return o.component
      .map((c) => `${conceptText(c.code) ?? ''}: ${c.valueQuantity ? `${c.valueQuantity.value ?? ''} ${c.valueQuantity.unit ?? ''}`.trim() : (conceptText(c.valueCodeableConcept) ?? c.valueString ?? '')}`)
      .join('; ')
  }
  return undefined
}

function orgLabel(o: Organization | undefined): string | undefined {
  if (!o) return undefined
  const ods = o.identifier?.find((i) => /ods-organi[sz]ation-code$/i.test(i.system ?? ''))?.value
  return clean([o.name, ods ? `(${ods})` : undefined].filter(Boolean).join(' '))
}

/** Special patient notes (SPNTitle / SPNDetail / SPNActiveDate / SPNReviewDate) in any QuestionnaireResponse group. */
function staffSafetyNotes(items: QuestionnaireResponseItem[] | undefined): TStaffSafetyView[] {
  return (items ?? []).flatMap((group) => {
    const leaf = (id: string) => group.item?.find((i) => i.linkId === id)
    const detail = leaf('SPNDetail') ? answers(leaf('SPNDetail')!) : undefined
    const here = detail
      ? [{
          title: leaf('SPNTitle') ? answers(leaf('SPNTitle')!) : undefined,
          detail,
          activeFrom: leaf('SPNActiveDate')?.answer?.[0]?.valueDateTime ?? leaf('SPNActiveDate')?.answer?.[0]?.valueDate,
          reviewBy: leaf('SPNReviewDate')?.answer?.[0]?.valueDateTime ?? leaf('SPNReviewDate')?.answer?.[0]?.valueDate,
        }]
      : []
    return [...here, ...staffSafetyNotes(group.item)]
  })
}

/** `now` decides which flags have expired (Flag.period.end in the past). */
export function referralView(bundle: Bundle, now: Date = new Date()): TReferralView {
  const sr = resourcesOfType(bundle, 'ServiceRequest')[0] as ServiceRequest | undefined
  const ref = (r: string | undefined) => resolveReference(bundle, r)
  const patient = (ref(sr?.subject?.reference) ?? resourcesOfType(bundle, 'Patient')[0]) as Patient | undefined
  const header = resourcesOfType(bundle, 'MessageHeader')[0]

  const allFlags = resourcesOfType(bundle, 'Flag')
    .filter((f: Flag) => f.status !== 'inactive' && f.status !== 'entered-in-error')
    .map((f): TFlagView => {
      const cat = (f.category ?? []).flatMap((c) => c.coding ?? [])
      const end = flagEnd(f)
      return {
        category: clean(cat.find((c) => c.display)?.display ?? f.category?.[0]?.text) ?? 'Flag',
        text: conceptText(f.code) ?? 'No details given',
        safeguarding: isSafeguarding(f),
        period: formatPeriod(f.period),
        start: f.period?.start,
        end,
        expired: flagEnded(f, now),
      }
    })
    .sort((a, b) => Number(b.safeguarding) - Number(a.safeguarding))
  const flags = allFlags.filter((f) => !f.expired)
  const expiredFlags = allFlags.filter((f) => f.expired)

  const contacts = [...(patient?.contact ?? [])].sort((a, b) => contactRank(a.extension) - contactRank(b.extension))
  const asView = (c: NonNullable<Patient['contact']>[number]) => contactView(humanName(c.name), conceptText(c.relationship?.[0]), c.telecom)
  const callback = contacts[0] ? asView(contacts[0]) : undefined
  const otherContacts = contacts.slice(1).map(asView)
  const nextOfKin = resourcesOfType(bundle, 'RelatedPerson').map((p: RelatedPerson) => contactView(humanName(p.name), conceptText(p.relationship?.[0]), p.telecom))

  const nhs = patient?.identifier?.find((i) => i.system === SYSTEMS.nhsNumber)
  const gp = ref(patient?.generalPractitioner?.[0]?.reference) as Organization | undefined
  const address = patient?.address?.find((a) => a.use === 'home') ?? patient?.address?.[0]

  const carePlan = ((sr?.basedOn ?? []).map((r) => ref(r.reference)).find((r) => r?.resourceType === 'CarePlan') ??
    resourcesOfType(bundle, 'CarePlan')[0]) as CarePlan | undefined
  const concepts = (carePlan?.activity ?? []).flatMap((a) => a.outcomeCodeableConcept ?? [])
  const outcome = concepts
    .filter((c) => c.coding?.length)
    .map((c) => ({ label: clean(c.text) ?? 'Outcome', code: c.coding?.[0]?.code, text: clean(c.coding?.[0]?.display) ?? '' }))
  const consultationSummary = clean(concepts.find((c) => !c.coding?.length && c.text)?.text)
  const coding = (re: RegExp) => concepts.flatMap((c) => c.coding ?? []).find((c) => re.test(c.system ?? ''))
  const dx = coding(/pathways-dx-codes?$/) ?? coding(/arp-priority-codes?$/)

  const observations = resourcesOfType(bundle, 'Observation').map((o: Observation) => ({
    name: conceptText(o.code) ?? 'Observation',
    value: clean(observationValue(o)),
    notes: (o.note ?? []).map((n) => clean(n.text)).filter((t): t is string => !!t),
  }))
  const medications = resourcesOfType(bundle, 'MedicationStatement').map((m: MedicationStatement) => ({
    name: conceptText(m.medicationCodeableConcept) ?? clean(m.medicationReference?.display) ?? 'Medication not named',
    dosage: clean(m.dosage?.map((d) => d.text).filter(Boolean).join('; ')),
    reason: conceptText(m.reasonCode?.[0]),
    status: m.status,
  }))
  const allergies = resourcesOfType(bundle, 'AllergyIntolerance').map((a: AllergyIntolerance) => ({
    substance: conceptText(a.code) ?? 'Substance not named',
    reactions: clean((a.reaction ?? []).flatMap((r) => (r.manifestation ?? []).map(conceptText)).filter(Boolean).join(', ')),
    severity: a.reaction?.find((r) => r.severity)?.severity ?? a.criticality,
    status: conceptText(a.clinicalStatus),
  }))
  const consent = resourcesOfType(bundle, 'Consent').map((c: Consent) => ({
    category: conceptText(c.category?.[0]) ?? 'Consent',
    status: c.status,
    policy: conceptText(c.policyRule),
  }))

  const qrReason = (q: QuestionnaireResponse) =>
    conceptText(q.extension?.find((e) => e.url?.endsWith('questionnaireresponse-reason'))?.valueCodeableConcept) ?? 'Further information'
  const qrs = resourcesOfType(bundle, 'QuestionnaireResponse')
  const rejectedServices = qrs
    .filter((q) => /rejected services/i.test(qrReason(q)))
    .flatMap((q) => (q.item ?? []).flatMap((group) => group.item ?? []))
    .map((svc) => {
      const leaf = (id: string) => (svc.item ?? []).find((i) => i.linkId === id)
      return {
        service: (leaf('ServiceName') && answers(leaf('ServiceName')!)) ?? 'Service not named',
        reason: leaf('RejectionReason') ? answers(leaf('RejectionReason')!) : undefined,
        comment: leaf('RejectionComment') ? answers(leaf('RejectionComment')!) : undefined,
      }
    })
  const staffSafety = qrs.flatMap((q) => staffSafetyNotes(q.item))
  const otherInformation = qrs
    .filter((q) => !/rejected services/i.test(qrReason(q)))
    // Special patient notes are shown as staff-safety alerts at the top, not here again.
    .map((q) => ({ title: qrReason(q), items: leafItems(q.item).filter((i) => !/url$/i.test(i.label) && !/^Special patient note/.test(i.label)) }))
    .filter((g) => g.items.length)

  const useCase = sr?.category?.flatMap((c) => c.coding ?? []).find((c) => c.system === SYSTEMS.useCases)
  const requester = ref(sr?.requester?.reference) as Practitioner | undefined
  const requesterPhone = requester?.telecom?.find((t) => t.system === 'phone')?.value
  const senderOrg = ref(header?.sender?.reference) as Organization | undefined
  const performer = (sr?.performer ?? []).map((p) => ref(p.reference)).find((r) => r?.resourceType === 'HealthcareService') as HealthcareService | undefined
  const requestedService = performer ?? (resourcesOfType(bundle, 'HealthcareService')[0] as HealthcareService | undefined)
  const cdssExt = header?.extension?.find((e) => e.url?.endsWith('CDSSExtension'))?.extension
  const cdss = cdssExt ? clean(cdssExt.map((e) => e.valueString).filter(Boolean).join(' ')) : undefined

  return {
    flags,
    expiredFlags,
    staffSafety,
    patient: {
      name: humanName(patient?.name),
      nhsNumber: nhs?.value?.replace(/\s+/g, '') || undefined,
      nhsNumberStatus: conceptText(nhs?.extension?.find((e) => e.url?.endsWith('NHSNumberVerificationStatus'))?.valueCodeableConcept),
      birthDate: patient?.birthDate,
      gender: patient?.gender,
      address: clean(address?.text ?? [...(address?.line ?? []), address?.city, address?.postalCode].filter(Boolean).join(', ')),
      gp: orgLabel(gp),
      language: conceptText(patient?.communication?.find((c) => c.preferred)?.language ?? patient?.communication?.[0]?.language),
    },
    callback,
    otherContacts,
    nextOfKin,
    presentingComplaint: {
      chiefConcern: clean(coding(/pathways-sg-codes?$/)?.display),
      pathway: clean(coding(/pathways-(pathway-codes?|template)$/)?.display),
      symptomDiscriminator: clean(coding(/pathways-sd-codes?$/)?.display),
      disposition: clean(dx?.display),
      dispositionCode: dx?.code,
    },
    outcome,
    consultationSummary,
    patientInstruction: clean(sr?.patientInstruction),
    observations,
    medications,
    allergies,
    consent,
    rejectedServices,
    otherInformation,
    referral: {
      status: sr?.status,
      useCase: clean(useCase?.display ?? useCase?.code),
      start: sr?.occurrencePeriod?.start,
      deadline: sr?.occurrencePeriod?.end,
      authoredOn: sr?.authoredOn,
      requester: clean([humanName(requester?.name), requesterPhone].filter(Boolean).join(', ')),
      senderOrganisation: orgLabel(senderOrg),
      requestedService: clean(requestedService?.name),
      cancelReason: clean(sr?.reasonCode?.[0]?.text ?? conceptText(sr?.reasonCode?.[0])),
      cdss,
    },
  }
}

/** The view flattened to label → text, the basis of "what changed" between versions. */
function flatten(v: TReferralView): Map<string, string> {
  const m = new Map<string, string>()
  const put = (k: string, val: string | undefined) => {
    if (val) m.set(k, val)
  }
  put('Referral status', v.referral.status)
  put('Deadline', v.referral.deadline)
  put('Reason for cancelling', v.referral.cancelReason)
  put('Patient name', v.patient.name)
  put('NHS number', v.patient.nhsNumber)
  put('Date of birth', v.patient.birthDate)
  put('Address', v.patient.address)
  put('Callback number', v.callback?.phone)
  put('Chief concern', v.presentingComplaint.chiefConcern)
  put('Disposition', v.presentingComplaint.disposition)
  put('Consultation summary', v.consultationSummary)
  put('Flags', v.flags.map((f) => `${f.category}: ${f.text}`).sort().join('; '))
  put('Medications', v.medications.map((x) => x.name).sort().join('; '))
  put('Allergies', v.allergies.map((x) => x.substance).sort().join('; '))
  put('Observations', v.observations.map((x) => `${x.name}${x.value ? ` ${x.value}` : ''}`).sort().join('; '))
  return m
}

/** Plain-language list of what changed from one version of a referral to the next. */
export function describeChanges(previous: Bundle, next: Bundle): string[] {
  const a = flatten(referralView(previous))
  const b = flatten(referralView(next))
  const changes: string[] = []
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const before = a.get(key)
    const after = b.get(key)
    if (before === after) continue
    if (key === 'Referral status') changes.push(`Status changed from ${before ?? 'none'} to ${after ?? 'none'}`)
    else if (key === 'Reason for cancelling' && after) changes.push(`Reason for cancelling: ${after}`)
    else if (!before) changes.push(`${key} added`)
    else if (!after) changes.push(`${key} removed`)
    else changes.push(`${key} changed`)
  }
  return changes
}
