import type { Bundle, CarePlan, Flag, Patient, ServiceRequest } from '@medplum/fhirtypes'
import { resolveReference, resourcesOfType } from '@/lib/fhir/bundle'
import { SYSTEMS } from './identifiers'

export interface TFlagView {
  category: string
  text: string
  safeguarding: boolean
}

export interface TReferralView {
  flags: TFlagView[]
  callback?: { name?: string; relationship?: string; phone?: string }
  outcome: { label: string; code?: string; text: string }[]
  consultationSummary?: string
  patientInstruction?: string
}

function codingText(concept: { text?: string; coding?: { display?: string; code?: string }[] } | undefined): string | undefined {
  return concept?.coding?.find((c) => c.display)?.display ?? concept?.text ?? concept?.coding?.[0]?.code
}

/** What the referral screen shows, read from the stored message bundle. Safeguarding flags first. */
export function referralView(bundle: Bundle): TReferralView {
  const sr = resourcesOfType(bundle, 'ServiceRequest')[0] as ServiceRequest | undefined
  const patient = resolveReference(bundle, sr?.subject?.reference) as Patient | undefined
  const flags = resourcesOfType(bundle, 'Flag')
    .filter((f: Flag) => f.status !== 'inactive' && f.status !== 'entered-in-error')
    .map((f) => {
      const cat = (f.category ?? []).flatMap((c) => c.coding ?? [])
      const safeguarding = cat.some((c) => c.system === SYSTEMS.flagCategories && c.code === 'SG')
      return { category: cat.find((c) => c.display)?.display ?? 'Flag', text: codingText(f.code) ?? 'No details given', safeguarding }
    })
    .sort((a, b) => Number(b.safeguarding) - Number(a.safeguarding))

  const rankOf = (ext: { url?: string; valuePositiveInt?: number }[] | undefined) =>
    ext?.find((e) => e.url?.endsWith('Extension-UKCore-ContactRank'))?.valuePositiveInt ?? 99
  const contact = [...(patient?.contact ?? [])].sort((a, b) => rankOf(a.extension) - rankOf(b.extension))[0]
  const phone = [...(contact?.telecom ?? [])].filter((t) => t.system === 'phone').sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))[0]?.value
  const callback = contact
    ? {
        name: contact.name?.text ?? ([contact.name?.given?.join(' '), contact.name?.family].filter(Boolean).join(' ') || undefined),
        relationship: codingText(contact.relationship?.[0]),
        phone,
      }
    : undefined

  const carePlan = resourcesOfType(bundle, 'CarePlan')[0] as CarePlan | undefined
  const concepts = (carePlan?.activity ?? []).flatMap((a) => a.outcomeCodeableConcept ?? [])
  const outcome = concepts
    .filter((c) => c.coding?.length)
    .map((c) => ({ label: c.text ?? 'Outcome', code: c.coding?.[0]?.code, text: c.coding?.[0]?.display ?? '' }))
  const consultationSummary = concepts.find((c) => !c.coding?.length && c.text)?.text?.replace(/\/n\s*/g, '\n')

  return { flags, callback, outcome, consultationSummary, patientInstruction: sr?.patientInstruction }
}
