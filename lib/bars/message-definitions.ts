import type { Bundle, MessageDefinition, UsageContext } from '@medplum/fhirtypes'
import { AppError } from '@/lib/errors/app-error'
import { resolveEntry } from '@/lib/fhir/bundle'
import { isDosServiceSystem, SYSTEMS } from './identifiers'
import type { TMessage } from './message'
import type { TWorkflow } from './workflow'
// Static imports so bundlers (Next/Turbopack, vitest) ship the national definitions with the code.
import bookingRequestJson from './definitions/BARS-MessageDefinition-Booking-Request.json'
import referralRequestJson from './definitions/BARS-MessageDefinition-ServiceRequest-Request-Referral.json'
import validationRequestJson from './definitions/BARS-MessageDefinition-ServiceRequest-Request-Validation.json'
import referralResponseShortJson from './definitions/BARS-MessageDefinition-ServiceRequest-Response-Referral-Short.json'
import referralResponseJson from './definitions/BARS-MessageDefinition-ServiceRequest-Response-Referral.json'
import validationResponseFullJson from './definitions/BARS-MessageDefinition-ServiceRequest-Response-Validation-Full.json'
import validationResponseInterimJson from './definitions/BARS-MessageDefinition-ServiceRequest-Response-Validation-Interim.json'
import bookingCancelledJson from './definitions/BARSMessageDefinitionBookingRequestCancelled.json'
import cancelledRequestJson from './definitions/BARSMessageDefinitionServiceRequestRequestCancelled.json'

/** Where the national MessageDefinitions live (their `url` is this + name). */
export const MESSAGE_DEFINITION_BASE = 'https://fhir.nhs.uk/MessageDefinition/'

/** Canonical URLs of the national BaRS MessageDefinitions ([IG] `MessageDefinition/*.xml`). */
export const MESSAGE_DEFINITION_URLS = {
  referralRequest: `${MESSAGE_DEFINITION_BASE}bars-message-servicerequest-request-referral`,
  validationRequest: `${MESSAGE_DEFINITION_BASE}bars-message-servicerequest-request-validation`,
  cancelledRequest: `${MESSAGE_DEFINITION_BASE}bars-message-servicerequest-request-cancelled`,
  bookingRequest: `${MESSAGE_DEFINITION_BASE}bars-message-booking-request`,
  bookingCancelled: `${MESSAGE_DEFINITION_BASE}bars-message-booking-request-cancelled`,
  referralResponse: `${MESSAGE_DEFINITION_BASE}bars-message-servicerequest-response-referral`,
  referralResponseShort: `${MESSAGE_DEFINITION_BASE}bars-message-servicerequest-response-referral-short`,
  validationResponseInterim: `${MESSAGE_DEFINITION_BASE}bars-message-servicerequest-response-validation-interim`,
  validationResponseFull: `${MESSAGE_DEFINITION_BASE}bars-message-servicerequest-response-validation-full`,
} as const

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

// The JSON module types widen the code enums to string; the files are the national resources verbatim.
// Frozen: callers get the shared national objects and must copy (structuredClone) before changing anything.
const asDefinition = (json: unknown): MessageDefinition => deepFreeze(json as MessageDefinition)

/** All national MessageDefinitions shipped in lib/bars/definitions. */
export const NATIONAL_MESSAGE_DEFINITIONS: readonly MessageDefinition[] = Object.freeze([
  asDefinition(referralRequestJson),
  asDefinition(validationRequestJson),
  asDefinition(cancelledRequestJson),
  asDefinition(bookingRequestJson),
  asDefinition(bookingCancelledJson),
  asDefinition(referralResponseJson),
  asDefinition(referralResponseShortJson),
  asDefinition(validationResponseInterimJson),
  asDefinition(validationResponseFullJson),
])

/** `https://fhir.nhs.uk/MessageDefinition/bars-message-x|1.0.0` → `fhir.nhs.uk/messagedefinition/bars-message-x`. */
function canonicalKey(canonical: string): string {
  return canonical
    .trim()
    .split('|')[0]!
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase()
}

const BY_CANONICAL = new Map<string, MessageDefinition>(NATIONAL_MESSAGE_DEFINITIONS.map((d) => [canonicalKey(d.url!), d]))

// Canonicals seen in real NHS examples that name no published definition. REFRESP02 and REFRESP03 (App 6
// CAD responses) claim `bars-message-servicerequest-request-response-short`; the definition they fit is
// `…-response-referral-short`. Mapped rather than rejected: real-world messages must be accepted.
const CANONICAL_ALIASES: Record<string, string> = {
  [canonicalKey(`${MESSAGE_DEFINITION_BASE}bars-message-servicerequest-request-response-short`)]: MESSAGE_DEFINITION_URLS.referralResponseShort,
}

/** The definition each workflow falls back to when MessageHeader.definition is absent or unknown (e.g. SERVREQ02). */
export const WORKFLOW_DEFINITIONS: Record<TWorkflow, string> = {
  'referral-new': MESSAGE_DEFINITION_URLS.referralRequest,
  'referral-cancel': MESSAGE_DEFINITION_URLS.cancelledRequest,
  'validation-new': MESSAGE_DEFINITION_URLS.validationRequest,
  'validation-update': MESSAGE_DEFINITION_URLS.validationRequest,
  'validation-cancel': MESSAGE_DEFINITION_URLS.cancelledRequest,
  'booking-new': MESSAGE_DEFINITION_URLS.bookingRequest,
  'booking-cancel': MESSAGE_DEFINITION_URLS.bookingCancelled,
  response: MESSAGE_DEFINITION_URLS.referralResponse,
}

function isWorkflow(value: string): value is TWorkflow {
  return Object.prototype.hasOwnProperty.call(WORKFLOW_DEFINITIONS, value)
}

function byCanonical(canonical: string): MessageDefinition | undefined {
  const key = canonicalKey(canonical)
  const alias = CANONICAL_ALIASES[key]
  return BY_CANONICAL.get(alias ? canonicalKey(alias) : key)
}

/**
 * The national MessageDefinition for a `MessageHeader.definition` canonical (http or https, with or
 * without `|version`, case-insensitive) or for a workflow name. When the canonical is missing or names
 * no definition we know, `fallbackWorkflow` decides. The version part of a canonical is ignored: the
 * Application version is negotiated through Bundle.meta.versionId (spec §9), and the national files
 * carry versions (1.0.0-beta…) that real messages do not quote. Returns the shared frozen object.
 */
export function definitionFor(canonicalOrWorkflow: string | undefined, fallbackWorkflow?: TWorkflow): MessageDefinition | undefined {
  const given = canonicalOrWorkflow?.trim()
  if (given) {
    if (isWorkflow(given)) return byCanonical(WORKFLOW_DEFINITIONS[given])
    const hit = byCanonical(given)
    if (hit) return hit
  }
  return fallbackWorkflow ? byCanonical(WORKFLOW_DEFINITIONS[fallbackWorkflow]) : undefined
}

/** Short name of a definition for diagnostics: the last segment of its url. */
export function definitionName(def: MessageDefinition): string {
  return (def.url ?? def.name ?? def.id ?? 'MessageDefinition').split('|')[0]!.split('/').pop()!
}

export interface TFocusRule {
  resourceType: string
  min: number
  /** undefined = unbounded ('*'). */
  max?: number
}

/**
 * Cardinality per resource type. Several focus rows of one type with different profiles (Flag
 * scene-safety 0..* + base Flag 0..*, Location incident 0..1 + UKCore 0..*) are summed: min = sum of
 * mins, max = '*' if any is '*', else the sum. The `Bundle` row describes the envelope and is skipped.
 */
export function focusRules(def: MessageDefinition): Map<string, TFocusRule> {
  const rules = new Map<string, TFocusRule>()
  for (const f of def.focus ?? []) {
    if (f.code === 'Bundle') continue
    const min = f.min ?? 0
    const max = f.max === undefined || f.max === '*' ? undefined : Number(f.max)
    const prev = rules.get(f.code)
    if (!prev) rules.set(f.code, { resourceType: f.code, min, max })
    else rules.set(f.code, { resourceType: f.code, min: prev.min + min, max: prev.max === undefined || max === undefined ? undefined : prev.max + max })
  }
  return rules
}

/**
 * How many Encounters are the receiver's own Encounter echoed back to it rather than the sender's.
 * Our synchronous reply adds a `planned` Encounter of ours (spec §2.4), and senders that follow up
 * keep it in the bundle beside their own: the CAD updates REFREQ8B–8D and REFREQ9A 2/3 carry it
 * (status planned, later in-progress) although the referral definition says Encounter 1..1, and the
 * VALRESP01 acknowledgement has the same shape. The sender's Encounter is the one the focus
 * ServiceRequest points at (ServiceRequest.encounter); at most one other Encounter is discounted.
 */
function echoedReceiverEncounters(msg: TMessage): number {
  if (msg.focus.resourceType !== 'ServiceRequest') return 0
  const senders = resolveEntry(msg.bundle, msg.focus.encounter?.reference)
  if (senders?.resource?.resourceType !== 'Encounter') return 0
  const others = (msg.bundle.entry ?? []).filter((e) => e !== senders && e.resource?.resourceType === 'Encounter').length
  return Math.min(others, 1)
}

/**
 * Business check that the message carries the resources its MessageDefinition declares, with their
 * cardinalities (spec §4.2 `definition`; FHIR validation does not check this). Throws
 * AppError('invariant') naming every breach, with expression `Bundle.entry`.
 *
 * Tolerances, each needed by a real NHS example a receiver has to accept:
 * - one Encounter besides the one the focus ServiceRequest points at is the receiver's own Encounter
 *   echoed back and does not count against Encounter's maximum (REFREQ8B–8D, REFREQ9A updates; see above);
 * - MessageDefinition canonical typo of REFRESP02/03 is mapped in definitionFor, not here.
 * Resource types the definition does not list are rejected: none of the real examples carries one.
 */
export function checkConformance(msg: TMessage, def: MessageDefinition): void {
  const name = definitionName(def)
  const defEvent = def.eventCoding?.code
  if (defEvent && defEvent !== msg.eventCode) {
    throw new AppError('invariant', `MessageDefinition ${name} is for event ${defEvent}; MessageHeader.eventCoding is ${msg.eventCode}.`, {
      expression: 'MessageHeader.eventCoding',
    })
  }
  const counts = new Map<string, number>()
  for (const e of msg.bundle.entry ?? []) {
    const type = e.resource?.resourceType
    if (type) counts.set(type, (counts.get(type) ?? 0) + 1)
  }
  const rules = focusRules(def)
  const problems: string[] = []
  for (const [type, n] of counts) {
    if (!rules.has(type)) problems.push(`MessageDefinition ${name} does not allow ${type}; the Bundle has ${n}.`)
  }
  const echoed = echoedReceiverEncounters(msg)
  for (const rule of rules.values()) {
    const n = counts.get(rule.resourceType) ?? 0
    if (n < rule.min) {
      problems.push(`MessageDefinition ${name} requires at least ${rule.min} ${rule.resourceType}; the Bundle has ${n}.`)
      continue
    }
    const counted = rule.resourceType === 'Encounter' ? n - echoed : n
    if (rule.max !== undefined && counted > rule.max) {
      const note = counted === n ? '' : ` (not counting the receiver's own Encounter)`
      problems.push(`MessageDefinition ${name} allows at most ${rule.max} ${rule.resourceType}; the Bundle has ${counted}${note}.`)
    }
  }
  if (problems.length) throw new AppError('invariant', problems.join(' '), { expression: 'Bundle.entry' })
}

// ---------------------------------------------------------------------------------------------
// MessageDefinitions we serve (GET /MessageDefinition?context=…, spec §2.3)

/** Displays of CodeSystem usecases-categories-bars 1.5.0 (2025-06-25). */
export const USE_CASE_DISPLAYS: Readonly<Record<string, string>> = Object.freeze({
  a1t1: '111 to ED', a1t2: '111 to UTC', a1t3: 'IUC CAS to ED', a1t4: 'IUC CAS to UTC', a1t5: '999 to ED', a1t6: '999 to UTC',
  a1t7: '111 to SDEC', a1t8: 'IUC CAS to SDEC', a1t9: '999 to SDEC', a1t10: '111 to UEC', a1t11: 'IUC CAS to UEC', a1t12: '999 to UEC',
  a2t1: '111 Online to ED', a2t2: '111 Online to UTC', a2t3: 'S and R to ED', a2t4: 'S and R to UTC', a2t5: '111 Online to UEC', a2t6: 'S and R to UEC',
  a3t1: '999 to CAS Referral',
  a4t1: '999 to CAS Validation', a4t2: '999 to Falls', a4t3: '999 to Community Services', a4t4: '999 to UEC Validation',
  a5t1: 'Primary Care to Community Pharmacy', a5t2: 'Primary Care to Pharmacy Contraception', a5t3: 'Primary Care to Pharmacy Blood Pressure Check Service',
  referraltopharmacy: 'Primary Care to Pharmacy to Deprecated',
  a6t1: 'CAD to CAD Out of Area Referral', a6t2: 'CAD to CAD Call Assist Request', a6t3: 'CAD to CAD Mutual Aid Request',
  a7t1: 'Patient Facing Services to Primary Care',
  a8t1: 'AG to e-RS', a8t2: '111 Online to e-RS', a8t3: 'nhs.uk to e-RS',
})

const USAGE_CONTEXT_WORKFLOW = { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'workflow' } as const

export interface TServiceDefinitionInput {
  dosServiceId: string
  name: string
  /** usecases-categories-bars codes the service accepts (any case). */
  useCases: string[]
  /** Highest Application version (Bundle.meta.versionId) the service accepts: the served MessageDefinition.version. */
  appVersion: string
}

/** Validation requests (App 4) are only advertised for services that take an a4 use case. */
const isValidationUseCase = (code: string) => /^a4t\d+$/i.test(code)

const isPharmacyUseCase = (code: string) => /^a5t\d+$/i.test(code)

/** Canonicals of the requests a service with these use cases receives (referral, cancel, booking, booking cancel; + validation for App 4). */
export function receivedDefinitionUrls(useCases: readonly string[]): string[] {
  const urls: string[] = [
    MESSAGE_DEFINITION_URLS.referralRequest,
    MESSAGE_DEFINITION_URLS.cancelledRequest,
    MESSAGE_DEFINITION_URLS.bookingRequest,
    MESSAGE_DEFINITION_URLS.bookingCancelled,
  ]
  if (useCases.some(isValidationUseCase)) urls.splice(1, 0, MESSAGE_DEFINITION_URLS.validationRequest)
  // A community pharmacy (App 5 only) takes referrals and cancellations: no slots or bookings (apps-3-4-5.md §1).
  if (useCases.length > 0 && useCases.every(isPharmacyUseCase)) return urls.filter((u) => u !== MESSAGE_DEFINITION_URLS.bookingRequest && u !== MESSAGE_DEFINITION_URLS.bookingCancelled)
  return urls
}

/** FHIR id of a served copy: `<definition name without bars-message->-<service id>`, kept within 64 id characters. */
function servedDefinitionId(def: MessageDefinition, dosServiceId: string): string {
  const slug = definitionName(def).replace(/^bars-message-/, '')
  const service = dosServiceId.replace(/[^A-Za-z0-9\-.]/g, '-')
  return `${slug}-${service}`.slice(0, 64)
}

/**
 * Our per-service copies of the national definitions we receive (spec §2.3): same url, eventCoding and
 * focus (so senders' MessageHeader.definition still matches), `version` = the service's Application
 * version, and `useContext` rewritten: the national placeholder dos-service-id code `dos-id` becomes the
 * real service id and there is one use-case context per use case the service supports.
 */
export function buildServiceMessageDefinitions(service: TServiceDefinitionInput): MessageDefinition[] {
  const useCases = [...new Set(service.useCases.map((u) => u.trim().toLowerCase()).filter(Boolean))]
  const useContext: UsageContext[] = [
    {
      code: { ...USAGE_CONTEXT_WORKFLOW },
      valueCodeableConcept: { coding: [{ system: SYSTEMS.dosServiceId, code: service.dosServiceId, display: service.name }] },
    },
    ...useCases.map(
      (code): UsageContext => ({
        code: { ...USAGE_CONTEXT_WORKFLOW },
        valueCodeableConcept: { coding: [{ system: SYSTEMS.useCases, code, ...(USE_CASE_DISPLAYS[code] ? { display: USE_CASE_DISPLAYS[code] } : {}) }] },
      }),
    ),
  ]
  return receivedDefinitionUrls(useCases).map((url) => {
    const national = byCanonical(url)!
    const copy = structuredClone(national) as MessageDefinition & { id: string }
    copy.id = servedDefinitionId(national, service.dosServiceId)
    copy.version = service.appVersion
    copy.useContext = structuredClone(useContext)
    return copy
  })
}

// Accept http/https and the misspelt `usecase-categories-bars` of the content-negotiation pseudo-code (open question B12).
const USE_CASE_SYSTEM = /^https?:\/\/fhir\.nhs\.uk\/CodeSystem\/usecases?-categories-bars$/i
const USE_CASE_CODE = /^(a\d+t\d+|referraltopharmacy)$/i
const CONTEXT_VALUE = /^[A-Za-z0-9\-.]{1,64}$/

type TContext = { kind: 'service'; value: string } | { kind: 'use-case'; value: string }

function parseContext(raw: string, serviceIds: ReadonlySet<string>): TContext {
  let text = raw.trim()
  // Tolerate values encoded twice (TKW NBRS-3965): `https%3A%2F%2F…%7C2000099999`.
  if (/%[0-9a-f]{2}/i.test(text)) {
    try {
      text = decodeURIComponent(text)
    } catch {
      throw new AppError('invalid', 'The context parameter is not correctly URL-encoded.', { expression: 'context' })
    }
  }
  const bar = text.indexOf('|')
  const system = bar < 0 ? '' : text.slice(0, bar).trim()
  const value = (bar < 0 ? text : text.slice(bar + 1)).trim()
  if (!CONTEXT_VALUE.test(value)) {
    throw new AppError('invalid', 'The context parameter must be system|value or a bare value (a DoS service id or use-case code).', { expression: 'context' })
  }
  if (system) {
    if (isDosServiceSystem(system)) return { kind: 'service', value }
    if (USE_CASE_SYSTEM.test(system)) return { kind: 'use-case', value: value.toLowerCase() }
    throw new AppError('invalid', `The context system is not supported; use ${SYSTEMS.dosServiceId} or ${SYSTEMS.useCases}.`, { expression: 'context' })
  }
  // A bare value: a service id when it is one of ours, else a use-case code when it looks like one, else
  // a service id we do not serve (→ 404 below).
  if (serviceIds.has(value)) return { kind: 'service', value }
  if (USE_CASE_CODE.test(value)) return { kind: 'use-case', value: value.toLowerCase() }
  return { kind: 'service', value }
}

export interface TSearchOptions {
  /** Our FHIR base URL: entries get fullUrl `<baseUrl>/MessageDefinition/<id>` (else a urn:uuid). */
  baseUrl?: string
}

/**
 * GET /MessageDefinition?context=… (spec §2.3, open question A8): `context` may be repeated (and
 * comma-separated); each is `system|value` or a bare value. One must name a service we serve
 * (dos-service-id in any spelling, or bare); use-case contexts optionally narrow the match. Missing
 * context → 400 required; malformed → 400 invalid; nothing matches → 404 not-found. Returns a
 * searchset Bundle of the matching services' definitions.
 */
export function searchMessageDefinitions(
  services: readonly TServiceDefinitionInput[],
  contextParams: readonly string[],
  opts: TSearchOptions = {},
): Bundle<MessageDefinition> {
  const raw = contextParams.flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean)
  if (raw.length === 0) {
    throw new AppError('required', `The context parameter is required, e.g. context=${SYSTEMS.dosServiceId}|2000099999.`, { expression: 'context' })
  }
  const serviceIds = new Set(services.map((s) => s.dosServiceId))
  const contexts = raw.map((c) => parseContext(c, serviceIds))
  const wantedServices = new Set(contexts.filter((c) => c.kind === 'service').map((c) => c.value))
  const wantedUseCases = new Set(contexts.filter((c) => c.kind === 'use-case').map((c) => c.value))
  if (wantedServices.size === 0) {
    throw new AppError('required', `A context naming the target service is required, e.g. context=${SYSTEMS.dosServiceId}|2000099999.`, { expression: 'context' })
  }
  const matched = services.filter((s) => wantedServices.has(s.dosServiceId))
  if (matched.length === 0) {
    throw new AppError('not-found', `No MessageDefinition matches: service ${[...wantedServices].join(', ')} is not served by this receiver.`, { expression: 'context' })
  }
  const supporting = wantedUseCases.size
    ? matched.filter((s) => s.useCases.some((u) => wantedUseCases.has(u.trim().toLowerCase())))
    : matched
  if (supporting.length === 0) {
    throw new AppError('not-found', `No MessageDefinition matches: service ${matched.map((s) => s.dosServiceId).join(', ')} does not support use case ${[...wantedUseCases].join(', ')}.`, {
      expression: 'context',
    })
  }
  const base = opts.baseUrl?.replace(/\/+$/, '')
  const definitions = supporting.flatMap(buildServiceMessageDefinitions)
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: definitions.length,
    entry: definitions.map((resource) => ({
      fullUrl: base ? `${base}/MessageDefinition/${resource.id}` : `urn:uuid:${crypto.randomUUID()}`,
      resource,
      search: { mode: 'match' },
    })),
  }
}
