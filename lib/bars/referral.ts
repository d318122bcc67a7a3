import type { CarePlan, Patient } from '@medplum/fhirtypes'
import { AppError } from '@/lib/errors/app-error'
import { parseRelativeReference, resolveReference, resourcesOfType } from '@/lib/fhir/bundle'
import { flagEnded, isSafeguarding } from './flags'
import { SYSTEMS } from './identifiers'
import type { TMessage } from './message'
import { dateTimeToInstant } from './schemas/primitives'
import { serviceRequestCategory } from './workflow'

export interface TPatientSummary {
  nhsNumber?: string
  family?: string
  given?: string
  birthDate?: string
  postcode?: string
}

export interface TReferralSummary {
  fhirStatus: string
  category: string
  useCase: string
  patient: TPatientSummary
  chiefConcern?: string
  dispositionCode?: string
  dispositionDisplay?: string
  /** ServiceRequest.occurrencePeriod.end as an ISO instant (UTC), when given. */
  deadline?: string
  safeguarding: boolean
  flagCount: number
  requestIdentifier?: string
  senderCaseId?: string
  journeyId?: string
  senderOdsCode?: string
  senderName?: string
  /** Our Appointment id when the booking was made first (ServiceRequest.supportingInfo). */
  linkedAppointmentId?: string
}

export function patientSummary(patient: Patient | undefined): TPatientSummary {
  if (!patient) return {}
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0]
  const address = patient.address?.find((a) => a.use === 'home') ?? patient.address?.[0]
  const nhs = patient.identifier?.find((i) => i.system === SYSTEMS.nhsNumber)?.value?.replace(/\s+/g, '')
  return {
    nhsNumber: nhs || undefined,
    family: name?.family,
    given: name?.given?.join(' '),
    birthDate: patient.birthDate,
    postcode: address?.postalCode?.toUpperCase(),
  }
}


/** Pathways outcome codes on the CarePlan: chief complaint (SG) and disposition (DX). */
function triageOutcome(carePlan: CarePlan | undefined) {
  const concepts = (carePlan?.activity ?? []).flatMap((a) => a.outcomeCodeableConcept ?? [])
  const find = (re: RegExp) => concepts.flatMap((c) => c.coding ?? []).find((c) => re.test(c.system ?? ''))
  const sg = find(/pathways-sg-codes$/)
  const pathway = find(/pathways-pathway-codes$/)
  const sd = find(/pathways-sd-codes$/)
  const dx = find(/pathways-dx-codes$/) ?? find(/arp-priority-codes?$/)
  return { chiefConcern: sg?.display ?? pathway?.display ?? sd?.display, dx }
}

/**
 * The normalised view of a referral message that the inbox lists and searches. `receivedAt`
 * decides which flags count: one whose period ended before the referral arrived is expired (the
 * referral's page lists it as such) and neither makes the inbox's safeguarding tag nor counts
 * among its flags. A flag that ends while the referral is open still counts in the inbox.
 */
export function summariseReferral(msg: TMessage, receivedAt: Date = new Date()): TReferralSummary {
  const sr = msg.focus
  if (sr.resourceType !== 'ServiceRequest') {
    throw new AppError('invariant', 'A referral must focus a ServiceRequest.', { expression: 'MessageHeader.focus' })
  }
  const { category, useCase } = serviceRequestCategory(sr)
  if (!useCase) {
    throw new AppError('invariant', 'ServiceRequest.category has no use-case code (usecases-categories-bars).', { expression: 'ServiceRequest.category' })
  }
  const patient = resolveReference(msg.bundle, sr.subject?.reference)
  if (patient?.resourceType !== 'Patient') {
    throw new AppError('invalid', 'ServiceRequest.subject does not resolve to a Patient in the Bundle.', { expression: 'ServiceRequest.subject' })
  }
  const found = resolveReference(msg.bundle, sr.encounter?.reference)
  const encounter = found?.resourceType === 'Encounter' ? found : undefined
  const carePlan = (sr.basedOn ?? [])
    .map((r) => resolveReference(msg.bundle, r.reference))
    .find((r): r is CarePlan => r?.resourceType === 'CarePlan') ?? resourcesOfType(msg.bundle, 'CarePlan')[0]
  const flags = resourcesOfType(msg.bundle, 'Flag').filter((f) => f.status !== 'inactive' && f.status !== 'entered-in-error' && !flagEnded(f, receivedAt))
  const org = resolveReference(msg.bundle, msg.header.sender?.reference)
  const senderOrg = org?.resourceType === 'Organization' ? org : undefined
  const { chiefConcern, dx } = triageOutcome(carePlan)
  const linked = (sr.supportingInfo ?? []).map((r) => parseRelativeReference(r.reference)).find((r) => r?.type === 'Appointment')
  const journey = encounter?.episodeOfCare?.[0]?.reference
  return {
    fhirStatus: sr.status ?? 'unknown',
    category: category ?? 'referral',
    useCase,
    patient: patientSummary(patient),
    chiefConcern,
    dispositionCode: dx?.code,
    dispositionDisplay: dx?.display,
    deadline: dateTimeToInstant(sr.occurrencePeriod?.end),
    safeguarding: flags.some(isSafeguarding),
    flagCount: flags.length,
    requestIdentifier: sr.identifier?.[0]?.value,
    senderCaseId: encounter?.identifier?.[0]?.value,
    journeyId: journey ? journey.split('/').pop() : undefined,
    senderOdsCode: senderOrg?.identifier?.find((i) => /ods-organi[sz]ation-code$/i.test(i.system ?? ''))?.value,
    senderName: senderOrg?.name,
    linkedAppointmentId: linked?.id,
  }
}
