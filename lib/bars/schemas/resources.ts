import { z } from 'zod'
import { ZFhirCode, ZFhirDate, ZFhirDateTime, ZFhirId, ZFhirInstant, ZFhirString, ZFhirUri } from './primitives'

/**
 * Schemas for the parts of an inbound BaRS message this receiver reads (tolerant reader: every
 * other element passes through untouched and is stored verbatim). Each element has its FHIR R4
 * JSON type and cardinality: a list where R4 has 0..*, a single value where it has 0..1, no
 * `null`. Wrong types are `structure` errors, bad values `value` errors (see parse-fhir.ts).
 */

const list = <T extends z.ZodType>(item: T) => z.array(item).optional()

export const ZCoding = z.looseObject({ system: ZFhirUri.optional(), code: ZFhirCode.optional(), display: ZFhirString.optional() })
export const ZCodeableConcept = z.looseObject({ coding: list(ZCoding), text: ZFhirString.optional() })
export const ZIdentifier = z.looseObject({ system: ZFhirUri.optional(), value: ZFhirString.optional(), use: ZFhirCode.optional() })
export const ZReference = z.looseObject({ reference: ZFhirString.optional(), display: ZFhirString.optional(), identifier: ZIdentifier.optional() })
export const ZPeriod = z.looseObject({ start: ZFhirDateTime.optional(), end: ZFhirDateTime.optional() })
export const ZMeta = z.looseObject({ versionId: ZFhirId.optional(), lastUpdated: ZFhirInstant.optional(), profile: list(ZFhirUri) })
export const ZHumanName = z.looseObject({ use: ZFhirCode.optional(), family: ZFhirString.optional(), given: list(ZFhirString), text: ZFhirString.optional() })
export const ZAddress = z.looseObject({ use: ZFhirCode.optional(), postalCode: ZFhirString.optional(), line: list(ZFhirString) })

const resource = <S extends z.core.$ZodLooseShape>(shape: S) => z.looseObject({ resourceType: z.string(), id: ZFhirId.optional(), meta: ZMeta.optional(), ...shape })

export const ZPatient = resource({ identifier: list(ZIdentifier), name: list(ZHumanName), birthDate: ZFhirDate.optional(), address: list(ZAddress) })

export const ZServiceRequest = resource({
  status: ZFhirCode.optional(),
  category: list(ZCodeableConcept),
  subject: ZReference.optional(),
  encounter: ZReference.optional(),
  basedOn: list(ZReference),
  supportingInfo: list(ZReference),
  occurrencePeriod: ZPeriod.optional(),
  identifier: list(ZIdentifier),
  reasonCode: list(ZCodeableConcept),
  authoredOn: ZFhirDateTime.optional(),
})

export const ZEncounter = resource({ identifier: list(ZIdentifier), episodeOfCare: list(ZReference), subject: ZReference.optional() })
export const ZCarePlan = resource({ activity: list(z.looseObject({ outcomeCodeableConcept: list(ZCodeableConcept) })), supportingInfo: list(ZReference) })
export const ZFlag = resource({ status: ZFhirCode.optional(), category: list(ZCodeableConcept) })
export const ZOrganization = resource({ identifier: list(ZIdentifier), name: ZFhirString.optional() })
export const ZAppointment = resource({
  status: ZFhirCode.optional(),
  serviceCategory: list(ZCodeableConcept),
  slot: list(ZReference),
  basedOn: list(ZReference),
  participant: list(z.looseObject({ actor: ZReference.optional() })),
  cancelationReason: ZCodeableConcept.optional(),
  start: ZFhirInstant.optional(),
  end: ZFhirInstant.optional(),
  created: ZFhirDateTime.optional(),
})
export const ZSlot = resource({ start: ZFhirInstant.optional(), end: ZFhirInstant.optional(), status: ZFhirCode.optional() })
export const ZMessageHeader = resource({
  eventCoding: ZCoding.optional(),
  destination: list(z.looseObject({ endpoint: ZFhirUri.optional(), receiver: ZReference.optional() })),
  source: z.looseObject({ endpoint: ZFhirUri.optional() }).optional(),
  sender: ZReference.optional(),
  focus: list(ZReference),
  reason: ZCodeableConcept.optional(),
  definition: ZFhirUri.optional(),
  response: z.looseObject({ identifier: ZFhirString.optional(), code: ZFhirCode.optional() }).optional(),
})
/** HealthcareService.identifier is read to recognise our own service in a bundle (lib/messages/reply-ids.ts). */
export const ZHealthcareService = resource({ identifier: list(ZIdentifier) })
/** Any other resource: only its type and id are read. */
export const ZAnyResource = resource({})

/** The schema for each resource type we read; others get ZAnyResource. */
export const RESOURCE_SCHEMAS: Record<string, z.ZodType> = {
  Patient: ZPatient,
  ServiceRequest: ZServiceRequest,
  Encounter: ZEncounter,
  CarePlan: ZCarePlan,
  Flag: ZFlag,
  Organization: ZOrganization,
  Appointment: ZAppointment,
  Slot: ZSlot,
  MessageHeader: ZMessageHeader,
  HealthcareService: ZHealthcareService,
}

/** The Bundle envelope; each entry's resource is checked by its own schema afterwards (parse-fhir.ts). */
export const ZBundleEnvelope = z.looseObject({
  resourceType: z.literal('Bundle'),
  id: ZFhirId.optional(),
  type: ZFhirCode.optional(),
  timestamp: ZFhirInstant.optional(),
  meta: z.looseObject({ versionId: ZFhirString.optional(), lastUpdated: ZFhirInstant.optional(), profile: list(ZFhirUri) }).optional(),
  entry: list(z.looseObject({ fullUrl: ZFhirUri.optional(), resource: z.looseObject({ resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/, { message: 'is not a FHIR resource type' }) }).optional() })),
})
