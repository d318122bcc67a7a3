import type { Bundle, MessageHeader, Resource } from '@medplum/fhirtypes'
import { z } from 'zod'
import { AppError } from '@/lib/errors/app-error'
import { resolveReference } from '@/lib/fhir/bundle'
import { parseToken, SYSTEMS } from './identifiers'
import { parseFhir } from './schemas/parse-fhir'
import { RESOURCE_SCHEMAS, ZAnyResource, ZBundleEnvelope } from './schemas/resources'

export interface TMessage {
  bundle: Bundle
  bundleId?: string
  /** Bundle.meta.versionId: the Application version the payload claims. */
  appVersion: string
  header: MessageHeader
  eventCode: string
  reasonCode?: string
  definition?: string
  destinationEndpoint: { system?: string; value: string }
  sourceEndpoint?: string
  focus: Resource
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/**
 * Check the envelope of a $process-message body (spec §4.1, §4.2, §11.5): a Bundle of type
 * message, MessageHeader first, Bundle.meta.versionId present, an event, a destination and a focus
 * that resolves inside the bundle. Throws AppError (400) naming the offending element.
 */
export function parseMessage(body: unknown): TMessage {
  if (!isObject(body) || body.resourceType !== 'Bundle') {
    throw new AppError('structure', 'The body is not a FHIR Bundle.', { expression: 'Bundle' })
  }
  // Every element read below (and by summariseReferral, summariseBooking, referralCancelKeys,
  // classifyWorkflow, the MessageDefinition checks and the reply builder) is checked here for its
  // FHIR type, cardinality and format; what passes is the medplum Bundle type in fact.
  const envelope = parseFhir(ZBundleEnvelope, body, 'Bundle')
  if (envelope.type !== 'message') {
    throw new AppError('invalid', `Bundle.type must be "message" (was "${String(envelope.type ?? '')}").`, { expression: 'Bundle.type' })
  }
  const entries = envelope.entry
  if (!entries || entries.length === 0) {
    throw new AppError('invalid', 'The message Bundle has no entries.', { expression: 'Bundle.entry' })
  }
  entries.forEach((e, i) => {
    if (!e.resource) throw new AppError('structure', `Bundle.entry[${i}] has no resource.`, { expression: `Bundle.entry[${i}].resource` })
    parseFhir(RESOURCE_SCHEMAS[e.resource.resourceType] ?? ZAnyResource, e.resource, `Bundle.entry[${i}].resource`)
  })
  const bundle = body as unknown as Bundle // validated above, element by element
  const header = bundle.entry![0]!.resource!
  if (header.resourceType !== 'MessageHeader') {
    throw new AppError('invalid', 'The first entry of a message Bundle must be the MessageHeader.', { expression: 'Bundle.entry[0].resource' })
  }
  const appVersion = bundle.meta?.versionId
  if (typeof appVersion !== 'string' || !appVersion.trim()) {
    throw new AppError('invariant', 'Bundle.meta.versionId (the Application version) is missing.', { expression: 'Bundle.meta.versionId' })
  }
  const eventCode = header.eventCoding?.code
  if (!eventCode) {
    throw new AppError('required', 'MessageHeader.eventCoding.code is missing.', { expression: 'MessageHeader.eventCoding' })
  }
  const endpoint = parseToken(header.destination?.[0]?.endpoint)
  if (!endpoint) {
    throw new AppError('required', 'MessageHeader.destination.endpoint is missing.', { expression: 'MessageHeader.destination[0].endpoint' })
  }
  const focusRef = header.focus?.[0]?.reference
  const focus = resolveReference(bundle, focusRef)
  if (!focus) {
    throw new AppError('invalid', 'MessageHeader.focus does not resolve to a resource in the Bundle.', { expression: 'MessageHeader.focus[0]' })
  }
  const reason = header.reason?.coding?.find((c) => !c.system || c.system === SYSTEMS.messageReason) ?? header.reason?.coding?.[0]
  return {
    bundle,
    bundleId: bundle.id,
    appVersion: appVersion.trim(),
    header,
    eventCode,
    reasonCode: reason?.code,
    definition: header.definition,
    destinationEndpoint: endpoint,
    sourceEndpoint: header.source?.endpoint,
    focus,
  }
}

const ZSourcePeek = z.looseObject({
  entry: z.tuple([z.looseObject({ resource: z.looseObject({ resourceType: z.literal('MessageHeader'), source: z.looseObject({ endpoint: z.string() }) }) })], z.unknown()),
})

/**
 * MessageHeader.source.endpoint, read before the message is recorded (access control comes
 * first, spec §11.5). Undefined when the body does not have that shape: the full parse refuses it
 * afterwards with the element at fault (400, not 401).
 */
export function peekSourceEndpoint(body: unknown): string | undefined {
  const r = ZSourcePeek.safeParse(body)
  return r.success ? r.data.entry[0].resource.source.endpoint : undefined
}
