import { describe, expect, it } from 'vitest'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { BARS_CORE_VERSION, buildCapabilityStatement, PROCESS_MESSAGE_DEFINITION, type TCapabilityInput } from './capability-statement'
import { definitionFor, MESSAGE_DEFINITION_URLS } from './message-definitions'

const ED = { useCases: ['a1t1', 'a1t2'] }
const CAS = { useCases: ['a4t1'] }
const build = (services: TCapabilityInput['services'] = [ED]) =>
  buildCapabilityStatement({
    services,
    baseUrl: 'https://bars.example.nhs.uk/fhir/',
    now: new Date('2026-01-02T03:04:05.000Z'),
    software: { name: 'BaRS Inbox', version: '0.1.0' },
  })

describe('buildCapabilityStatement', () => {
  it('is a valid R4 instance CapabilityStatement carrying the BaRS Core version', () => {
    const cs = build()
    expectValidFhir(cs)
    expect(BARS_CORE_VERSION).toBe('1.5.0')
    expect(cs).toMatchObject({
      resourceType: 'CapabilityStatement',
      version: '1.5.0',
      status: 'active',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json'],
      date: '2026-01-02T03:04:05.000Z',
      software: { name: 'BaRS Inbox', version: '0.1.0' },
      implementation: { url: 'https://bars.example.nhs.uk/fhir' },
    })
  })

  it('takes an ISO string as now', () => {
    const cs = buildCapabilityStatement({ services: [ED], baseUrl: 'https://x.nhs.uk', now: '2026-05-01T00:00:00Z', software: { name: 'a', version: '1' } })
    expect(cs.date).toBe('2026-05-01T00:00:00Z')
  })

  it('describes the server endpoints the proxy forwards to us', () => {
    const server = build().rest!.find((r) => r.mode === 'server')!
    const resource = (type: string) => server.resource!.find((r) => r.type === type)!
    const names = (type: string) => resource(type).searchParam!.map((p) => p.name)
    const codes = (type: string) => resource(type).interaction!.map((i) => i.code)
    const patientParams = ['patient:identifier', 'patient:name', 'patient:birthdate', 'patient:address-postalcode']

    expect(server.resource!.map((r) => r.type)).toEqual(['ServiceRequest', 'Appointment', 'Slot', 'MessageDefinition'])
    expect(codes('ServiceRequest')).toEqual(['read', 'search-type'])
    expect(names('ServiceRequest')).toEqual([...patientParams, 'identifier'])
    expect(codes('Appointment')).toEqual(['read', 'search-type'])
    expect(names('Appointment')).toEqual(patientParams)
    expect(codes('Slot')).toEqual(['search-type'])
    expect(names('Slot')).toEqual(['status', 'start', 'Schedule.actor:HealthcareService'])
    expect(resource('Slot').searchInclude).toEqual(expect.arrayContaining(['Slot:schedule', 'Schedule:actor:HealthcareService']))
    expect(codes('MessageDefinition')).toEqual(['search-type'])
    expect(names('MessageDefinition')).toEqual(['context'])
    expect(server.operation).toEqual([{ name: 'process-message', definition: 'http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message' }])
  })

  it('has a client part for the asynchronous responses we send', () => {
    const client = build().rest!.find((r) => r.mode === 'client')!
    expect(client.operation).toEqual([{ name: 'process-message', definition: PROCESS_MESSAGE_DEFINITION }])
  })

  it('lists supported messages with full canonical URLs: requests received, the referral response sent', () => {
    const messages = build().messaging![0]!.supportedMessage!
    expect(messages).toEqual([
      { mode: 'receiver', definition: 'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral' },
      { mode: 'receiver', definition: 'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-cancelled' },
      { mode: 'receiver', definition: 'https://fhir.nhs.uk/MessageDefinition/bars-message-booking-request' },
      { mode: 'receiver', definition: 'https://fhir.nhs.uk/MessageDefinition/bars-message-booking-request-cancelled' },
      { mode: 'sender', definition: 'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-referral' },
    ])
    for (const m of messages) expect(definitionFor(m.definition)?.url).toBe(m.definition)
  })

  it('describes each service in its own messaging entry, validation requests only where an App 4 use case is taken', () => {
    const cs = build([
      { ...ED, dosServiceId: '111111111', name: 'ED' },
      { ...CAS, dosServiceId: '2000099999', name: 'CAS' },
    ])
    expectValidFhir(cs)
    expect(cs.messaging).toHaveLength(2)
    const receiversOf = (i: number) => cs.messaging![i]!.supportedMessage!.filter((m) => m.mode === 'receiver').map((m) => m.definition)
    expect(cs.messaging![0]!.documentation).toContain('DoS service id 111111111')
    expect(receiversOf(0)).not.toContain(MESSAGE_DEFINITION_URLS.validationRequest)
    expect(receiversOf(1)).toContain(MESSAGE_DEFINITION_URLS.validationRequest)
    expect(new Set(receiversOf(1)).size).toBe(receiversOf(1).length)
    expect(receiversOf(1)).toHaveLength(5)
  })

  it('a CAS (App 4 use case) also sends the interim and full validation responses (A4.54); an ED does not', () => {
    const cs = build([
      { ...ED, dosServiceId: '111111111', name: 'ED' },
      { ...CAS, dosServiceId: '2000099999', name: 'CAS' },
    ])
    const sendersOf = (i: number) => cs.messaging![i]!.supportedMessage!.filter((m) => m.mode === 'sender').map((m) => m.definition)
    expect(sendersOf(1)).toEqual(expect.arrayContaining([MESSAGE_DEFINITION_URLS.validationResponseInterim, MESSAGE_DEFINITION_URLS.validationResponseFull]))
    expect(sendersOf(0)).not.toContain(MESSAGE_DEFINITION_URLS.validationResponseInterim)
  })

  it('still describes the receiver when no service is configured', () => {
    const cs = build([])
    expectValidFhir(cs)
    expect(cs.messaging![0]!.supportedMessage!.filter((m) => m.mode === 'receiver')).toHaveLength(4)
  })
})
