/**
 * App 4 validation requests (999 → CAS / Falls / Community): the checks beyond the workflow
 * classification (A4.1, A4.4), the summary the queue stores, and what an update changed (A4.9, Q24).
 * Pure; inbound data is parsed with zod.
 */
import type { Bundle } from '@medplum/fhirtypes'
import { z } from 'zod'
import { AppError } from '@/lib/errors/app-error'
import { readCasContent, type TCasContent } from './cas-referral'
import { isUuid } from './headers'
import type { TMessage } from './message'
import { patientSummary, type TPatientSummary } from './referral'

const ZSr = z
  .object({
    id: z.string().optional(),
    status: z.string().optional(),
    subject: z.object({ reference: z.string().optional() }).loose().optional(),
    occurrencePeriod: z.object({ start: z.string().optional(), end: z.string().optional() }).loose().optional(),
    meta: z.object({ lastUpdated: z.string().optional() }).loose().optional(),
  })
  .loose()

export interface TValidationSummary {
  useCase: string
  fhirStatus: string
  /** ServiceRequest.id as sent (ours only when the requester read it from us). */
  resourceId?: string
  patient: TPatientSummary
  breachAt: Date
  clockStart?: Date
  arpCode?: string
  sceneSafety?: string
  safeguarding: boolean
  senderName?: string
  content: TCasContent
  lastUpdated?: string
}

const validDate = (s: string | undefined): Date | undefined => {
  if (!s) return undefined
  const d = new Date(s)
  return Number.isNaN(d.getTime()) ? undefined : d
}

/**
 * A new or updated validation request: CarePlan `active` (A4.1, else 400 invariant) and a breach
 * time in ServiceRequest.occurrencePeriod.end (A4.4: the profile makes it 1..1, else 400 required).
 */
export function summariseValidation(msg: TMessage): TValidationSummary {
  const sr = ZSr.parse(msg.focus)
  const content = readCasContent(msg.bundle)
  if ((content.carePlanStatus ?? '').toLowerCase() !== 'active') {
    throw new AppError('invariant', "Validation message requires a Careplan.status of 'active'.", { expression: 'CarePlan.status' })
  }
  const breachAt = validDate(sr.occurrencePeriod?.end)
  if (!breachAt) {
    throw new AppError('required', 'ServiceRequest.occurrencePeriod.end (the validation breach time) is missing or not a dateTime.', {
      expression: 'ServiceRequest.occurrencePeriod.end',
    })
  }
  const patientEntry = (msg.bundle.entry ?? []).find((e) => e.fullUrl === sr.subject?.reference || e.resource?.resourceType === 'Patient')
  const patientResource = patientEntry?.resource
  const useCase = (msg.focus.resourceType === 'ServiceRequest' ? msg.focus.category ?? [] : [])
    .flatMap((c) => c.coding ?? [])
    .find((c) => /usecases?-categories-bars$/i.test(c.system ?? ''))
    ?.code?.toLowerCase()
  return {
    useCase: useCase ?? 'a4t1',
    fhirStatus: sr.status ?? 'active',
    resourceId: isUuid(sr.id) ? sr.id.toLowerCase() : undefined,
    patient: patientSummary(patientResource?.resourceType === 'Patient' ? patientResource : undefined),
    breachAt,
    clockStart: validDate(content.clockStart),
    arpCode: content.arpCode,
    sceneSafety: content.sceneSafety.sent ? content.sceneSafety.code : undefined,
    safeguarding: content.safeguarding,
    senderName: senderOrganisationName(msg.bundle),
    content,
    lastUpdated: sr.meta?.lastUpdated,
  }
}

function senderOrganisationName(bundle: Bundle): string | undefined {
  const header = (bundle.entry ?? [])[0]?.resource
  const ref = header?.resourceType === 'MessageHeader' ? header.sender?.reference : undefined
  const org = (bundle.entry ?? []).find((e) => e.fullUrl === ref)?.resource
  return org?.resourceType === 'Organization' ? org.name : header?.resourceType === 'MessageHeader' ? header.source?.name : undefined
}

export interface TValidationChange {
  field: string
  from: string
  to: string
}

const fmt = (v: string | undefined) => v?.trim() || 'Not provided'

/**
 * What an update changed, compared on content, not on meta.lastUpdated: VALREQ02 changes Flags and
 * contacts without bumping it (Q24), so a lastUpdated merge would hide those changes.
 */
export function validationChanges(before: TValidationSummary, after: TValidationSummary): TValidationChange[] {
  const out: TValidationChange[] = []
  const cmp = (field: string, a: string | undefined, b: string | undefined) => {
    if (fmt(a) !== fmt(b)) out.push({ field, from: fmt(a), to: fmt(b) })
  }
  cmp('Breach time', before.breachAt.toISOString(), after.breachAt.toISOString())
  cmp('ARP category', before.arpCode, after.arpCode)
  cmp('Clock start', before.clockStart?.toISOString(), after.clockStart?.toISOString())
  cmp('Scene safety', before.content.sceneSafety.display, after.content.sceneSafety.display)
  cmp('Safeguarding concern', before.safeguarding ? 'Yes' : 'No', after.safeguarding ? 'Yes' : 'No')
  const codes = (s: TValidationSummary) =>
    s.content.codes
      .filter((c) => c.kind !== 'arp')
      .map((c) => `${c.code}${c.display ? ` ${c.display}` : ''}`)
      .join('; ')
  cmp('Triage outcome', codes(before), codes(after))
  cmp('Flags', before.content.flags.map((f) => `${f.category}: ${f.code}`).join('; '), after.content.flags.map((f) => `${f.category}: ${f.code}`).join('; '))
  cmp('Incident location', before.content.incidentLocation?.fields.map((f) => f.value).join(', '), after.content.incidentLocation?.fields.map((f) => f.value).join(', '))
  cmp('Narrative', before.content.narrative.join('\n'), after.content.narrative.join('\n'))
  return out
}
