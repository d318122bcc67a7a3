import type {
  CapabilityStatement,
  CapabilityStatementMessagingSupportedMessage,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes'
import { MESSAGE_DEFINITION_URLS, receivedDefinitionUrls } from './message-definitions'

/**
 * The BaRS Core version we implement. Senders read CapabilityStatement.version as the Core version and
 * only proceed when its major matches theirs (spec §2.2, §9).
 */
export const BARS_CORE_VERSION = '1.5.0'

export const PROCESS_MESSAGE_DEFINITION = 'http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message'

export interface TCapabilityInput {
  /** The services we receive for; their use cases decide which request messages we advertise. */
  services: readonly { useCases: readonly string[]; dosServiceId?: string; name?: string }[]
  /** Our FHIR base URL as registered in the BaRS Endpoint Catalogue. */
  baseUrl: string
  now: Date | string
  software: { name: string; version: string }
}

const PATIENT_SEARCH: CapabilityStatementRestResourceSearchParam[] = [
  { name: 'patient:identifier', type: 'token', documentation: 'NHS number: https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}.' },
  { name: 'patient:name', type: 'string', documentation: "Patient's name; used with patient:birthdate and patient:address-postalcode when there is no NHS number." },
  { name: 'patient:birthdate', type: 'date', documentation: "Patient's date of birth, e.g. eq1959-05-04." },
  { name: 'patient:address-postalcode', type: 'string', documentation: "Patient's postcode." },
]

const interactions = (...codes: ('read' | 'search-type')[]) => codes.map((code) => ({ code }))

function serverResources(): CapabilityStatementRestResource[] {
  return [
    {
      type: 'ServiceRequest',
      interaction: interactions('read', 'search-type'),
      searchParam: [
        ...PATIENT_SEARCH,
        { name: 'identifier', type: 'token', documentation: 'ServiceRequest.identifier (the referral reference), not the resource id.' },
      ],
    },
    {
      type: 'Appointment',
      interaction: interactions('read', 'search-type'),
      searchParam: [...PATIENT_SEARCH],
    },
    {
      type: 'Slot',
      interaction: interactions('search-type'),
      searchParam: [
        { name: 'status', type: 'token', documentation: 'Required: free and/or busy, comma-separated.' },
        { name: 'start', type: 'date', documentation: 'Required, twice: start=ge{dateTime}&start=le{dateTime}, with a UTC offset.' },
        { name: 'Schedule.actor:HealthcareService', type: 'token', documentation: 'The DoS service id whose slots are wanted.' },
      ],
      searchInclude: [
        'Slot:schedule',
        'Schedule:actor:HealthcareService',
        'Schedule:actor:Practitioner',
        'Schedule:actor:PractitionerRole',
        'HealthcareService:providedBy',
        'HealthcareService:location',
      ],
    },
    {
      type: 'MessageDefinition',
      interaction: interactions('search-type'),
      searchParam: [
        {
          name: 'context',
          type: 'token',
          documentation:
            'Required: the target service, https://fhir.nhs.uk/Id/dos-service-id|{id} (or the bare id); optionally repeated with https://fhir.nhs.uk/CodeSystem/usecases-categories-bars|{code}.',
        },
      ],
    },
  ]
}

/** Unique supported messages, receivers first. */
function supportedMessages(services: TCapabilityInput['services']): CapabilityStatementMessagingSupportedMessage[] {
  const received = new Set<string>()
  for (const s of services) for (const url of receivedDefinitionUrls(s.useCases)) received.add(url)
  // With no service configured we still describe the messages every ED receiver takes.
  if (received.size === 0) for (const url of receivedDefinitionUrls([])) received.add(url)
  return [
    ...[...received].map((definition): CapabilityStatementMessagingSupportedMessage => ({ mode: 'receiver', definition })),
    // Safeguarding DNA feedback back to the referrer (App 1/2), sent asynchronously through the proxy.
    { mode: 'sender', definition: MESSAGE_DEFINITION_URLS.referralResponse },
    // A4.54: a CAS (an App 4 use case) sends the interim and full validation responses.
    ...(services.some((s) => s.useCases.some((u) => /^a4t\d+$/i.test(u)))
      ? [MESSAGE_DEFINITION_URLS.validationResponseInterim, MESSAGE_DEFINITION_URLS.validationResponseFull].map(
          (definition): CapabilityStatementMessagingSupportedMessage => ({ mode: 'sender', definition }),
        )
      : []),
  ]
}

/**
 * GET /metadata (spec §2.2): what this receiver does as a server (the endpoints the BaRS proxy
 * forwards to us) and as a client (asynchronous responses we POST back through the proxy), and the
 * messages it receives and sends, with full canonical MessageDefinition URLs (TKW NBRS-3966).
 */
export function buildCapabilityStatement(input: TCapabilityInput): CapabilityStatement {
  const baseUrl = input.baseUrl.replace(/\/+$/, '')
  const date = typeof input.now === 'string' ? input.now : input.now.toISOString()
  return {
    resourceType: 'CapabilityStatement',
    version: BARS_CORE_VERSION,
    name: 'BaRSInboxCapabilityStatement',
    title: 'BaRS Inbox receiver CapabilityStatement',
    status: 'active',
    experimental: false,
    date,
    publisher: input.software.name,
    description: `Booking and Referral Standard (BaRS Core ${BARS_CORE_VERSION}) receiver for emergency department services: receives referrals and bookings through $process-message, serves slots, appointments and referrals, and sends responses back through the BaRS proxy.`,
    kind: 'instance',
    software: { name: input.software.name, version: input.software.version },
    implementation: { description: 'BaRS Inbox FHIR endpoint', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Called by the BaRS proxy (NHS API Management) on behalf of senders.',
        security: {
          cors: false,
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'Certificates', display: 'Certificates' }] }],
          description: 'Mutual TLS with the BaRS proxy (NHS Root CA); access control on the NHSD-* headers.',
        },
        resource: serverResources(),
        operation: [{ name: 'process-message', definition: PROCESS_MESSAGE_DEFINITION }],
      },
      {
        mode: 'client',
        documentation: 'Asynchronous responses sent to the original sender (MessageHeader.source.endpoint) through the BaRS proxy.',
        security: {
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth', display: 'OAuth' }] }],
          description: 'NHS API Platform application-restricted access (signed JWT client credentials).',
        },
        operation: [{ name: 'process-message', definition: PROCESS_MESSAGE_DEFINITION }],
      },
    ],
    // One messaging entry per service we run (its DoS id and the messages its use cases need), so a
    // sender sees each configured service; a generic entry when none is configured.
    messaging: (input.services.length ? input.services : [{ useCases: [] }]).map((service) => ({
      endpoint: [{ protocol: { system: 'http://terminology.hl7.org/CodeSystem/message-transport', code: 'http' }, address: baseUrl }],
      documentation: service.dosServiceId
        ? `${service.name ?? 'Service'} (DoS service id ${service.dosServiceId}; use cases ${service.useCases.join(', ') || 'none'}): POST [base]/$process-message with NHSD-Target-Identifier naming this service.`
        : 'Messages are exchanged synchronously with POST [base]/$process-message.',
      supportedMessage: supportedMessages([service]),
    })),
  }
}
