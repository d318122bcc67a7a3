import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Bundle, MessageHeader } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { caught } from '@/lib/testing/caught'
import { parseMessage } from './message'

const EXAMPLES = path.join(import.meta.dirname, '__fixtures__/examples')
const fixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Bundle
const refreq01 = () => fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json')
const headerOf = (b: Bundle) => b.entry![0]!.resource as MessageHeader

describe('parseMessage', () => {
  it('reads the envelope of REFREQ01', () => {
    const bundle = refreq01()
    const msg = parseMessage(bundle)
    expect(msg.bundle).toBe(bundle)
    expect(msg.bundleId).toBe(bundle.id)
    expect(msg.appVersion).toBe('1.0.0')
    expect(msg.header.resourceType).toBe('MessageHeader')
    expect(msg.eventCode).toBe('servicerequest-request')
    expect(msg.reasonCode).toBe('new')
    expect(msg.definition).toBe('https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral')
    expect(msg.destinationEndpoint).toEqual({ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: '111111111' })
    expect(msg.sourceEndpoint).toBe('https://fhir.nhs.uk/Id/dos-service-id|2222222222')
    expect(msg.focus.resourceType).toBe('ServiceRequest')
    expect(msg.focus).toBe(bundle.entry!.find((e) => e.fullUrl === 'urn:uuid:236bb75d-90ef-461f-b71e-fde7f899802c')!.resource)
  })

  it('resolves a focus given as a relative reference', () => {
    const bundle = fixture('REFRESP01_Referral_Service_Request_Response_New_Full_ED_to_111_Safeguarding_DNA_Feedback.json')
    headerOf(bundle).focus = [{ reference: 'ServiceRequest/236bb75d-90ef-461f-b71e-fde7f899802c' }]
    expect(parseMessage(bundle).focus.resourceType).toBe('ServiceRequest')
  })

  it('parses a cancellation without MessageHeader.definition (SERVREQ02)', () => {
    const msg = parseMessage(fixture('SERVREQ02_Service_Request_Delete_Entered_in_error.json'))
    expect(msg.definition).toBeUndefined()
    expect(msg.reasonCode).toBe('delete')
  })

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [refreq01()]],
    ['a Patient', { resourceType: 'Patient' }],
    ['text', 'Bundle'],
  ])('rejects %s as structure', (_what, body) => {
    const e = caught(() => parseMessage(body))
    expect(e.kind).toBe('structure')
    expect(e.expression).toEqual(['Bundle'])
  })

  it('rejects a searchset Bundle as invalid', () => {
    const e = caught(() => parseMessage({ ...refreq01(), type: 'searchset' }))
    expect(e.kind).toBe('invalid')
    expect(e.message).toBe('Bundle.type must be "message" (was "searchset").')
    expect(e.expression).toEqual(['Bundle.type'])
  })

  it('rejects a message Bundle without entries', () => {
    expect(caught(() => parseMessage({ ...refreq01(), entry: [] })).kind).toBe('invalid')
    expect(caught(() => parseMessage({ ...refreq01(), entry: undefined })).kind).toBe('invalid')
  })

  it('rejects an entry without a resource as structure, naming it', () => {
    const bundle = refreq01()
    bundle.entry![3] = { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000000' }
    const e = caught(() => parseMessage(bundle))
    expect(e.kind).toBe('structure')
    expect(e.expression).toEqual(['Bundle.entry[3].resource'])
  })

  it('rejects a Bundle whose first entry is not the MessageHeader', () => {
    const bundle = refreq01()
    bundle.entry = [bundle.entry![1]!, bundle.entry![0]!, ...bundle.entry!.slice(2)]
    const e = caught(() => parseMessage(bundle))
    expect(e.kind).toBe('invalid')
    expect(e.expression).toEqual(['Bundle.entry[0].resource'])
  })

  it.each([
    ['no meta', (b: Bundle) => delete b.meta],
    ['no versionId', (b: Bundle) => delete b.meta!.versionId],
    ['a blank versionId', (b: Bundle) => (b.meta!.versionId = '  ')],
  ])('rejects %s as invariant (Bundle.meta.versionId)', (_what, mutate) => {
    const bundle = refreq01()
    mutate(bundle)
    const e = caught(() => parseMessage(bundle))
    expect(e.kind).toBe('invariant')
    expect(e.expression).toEqual(['Bundle.meta.versionId'])
  })

  it('requires an event code and a destination endpoint', () => {
    const noEvent = refreq01()
    delete (headerOf(noEvent) as { eventCoding?: unknown }).eventCoding
    expect(caught(() => parseMessage(noEvent))).toMatchObject({ kind: 'required', expression: ['MessageHeader.eventCoding'] })

    const noDestination = refreq01()
    headerOf(noDestination).destination = [{ endpoint: 'https://fhir.nhs.uk/Id/dos-service-id|' }]
    expect(caught(() => parseMessage(noDestination))).toMatchObject({ kind: 'required', expression: ['MessageHeader.destination[0].endpoint'] })
  })

  it.each([
    ['a focus pointing outside the bundle', [{ reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' }]],
    ['a relative focus to an unknown id', [{ reference: 'ServiceRequest/nope' }]],
    ['no focus', undefined],
  ])('rejects %s as invalid', (_what, focus) => {
    const bundle = refreq01()
    headerOf(bundle).focus = focus as MessageHeader['focus']
    const e = caught(() => parseMessage(bundle))
    expect(e.kind).toBe('invalid')
    expect(e.expression).toEqual(['MessageHeader.focus[0]'])
  })
})
