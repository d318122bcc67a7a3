import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Bundle, BundleEntry, MessageDefinition } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { caught } from '@/lib/testing/caught'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { parseMessage } from './message'
import {
  buildServiceMessageDefinitions,
  checkConformance,
  definitionFor,
  definitionName,
  focusRules,
  MESSAGE_DEFINITION_URLS,
  NATIONAL_MESSAGE_DEFINITIONS,
  searchMessageDefinitions,
  type TServiceDefinitionInput,
  WORKFLOW_DEFINITIONS,
} from './message-definitions'
import { classifyWorkflow, type TWorkflow } from './workflow'

const EXAMPLES = path.join(import.meta.dirname, '__fixtures__/examples')
const fixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Bundle

/** Definition for a message the way the pipeline picks it: its canonical, else its workflow. */
function definitionOf(bundle: Bundle): MessageDefinition {
  const msg = parseMessage(bundle)
  let workflow: TWorkflow | undefined
  try {
    workflow = classifyWorkflow(msg)
  } catch {
    workflow = undefined // App 6 CAD referral updates are not a workflow this receiver classifies
  }
  const def = definitionFor(msg.definition, workflow)
  if (!def) throw new Error('no definition')
  return def
}

const conform = (bundle: Bundle, def: MessageDefinition = definitionOf(bundle)) => checkConformance(parseMessage(bundle), def)

const REFREQ01 = 'REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json'
const BOOKREQ01 = 'BOOKREQ01_Booking_Request_New_Full.json'
const REFERRAL_DEF = 'bars-message-servicerequest-request-referral'

describe('definitionFor', () => {
  it('loads all nine national definitions, each valid FHIR', () => {
    expect(NATIONAL_MESSAGE_DEFINITIONS).toHaveLength(9)
    for (const d of NATIONAL_MESSAGE_DEFINITIONS) expectValidFhir(d)
  })

  it.each([
    'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral',
    'http://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral',
    'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral|1.0.0-beta',
    'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral|1.1.0',
    ' HTTPS://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral/ ',
  ])('finds the referral definition by canonical %s', (canonical) => {
    expect(definitionFor(canonical)?.url).toBe(MESSAGE_DEFINITION_URLS.referralRequest)
  })

  it.each<[TWorkflow, string]>([
    ['referral-new', 'bars-message-servicerequest-request-referral'],
    ['referral-cancel', 'bars-message-servicerequest-request-cancelled'],
    ['validation-cancel', 'bars-message-servicerequest-request-cancelled'],
    ['validation-new', 'bars-message-servicerequest-request-validation'],
    ['validation-update', 'bars-message-servicerequest-request-validation'],
    ['booking-new', 'bars-message-booking-request'],
    ['booking-cancel', 'bars-message-booking-request-cancelled'],
    ['response', 'bars-message-servicerequest-response-referral'],
  ])('maps workflow %s to %s', (workflow, name) => {
    const def = definitionFor(workflow)
    expect(def && definitionName(def)).toBe(name)
    expect(definitionFor(undefined, workflow)?.url).toBe(def?.url)
    expect(WORKFLOW_DEFINITIONS[workflow]).toBe(def?.url)
  })

  it('prefers a known canonical over the fallback workflow', () => {
    expect(definitionFor(MESSAGE_DEFINITION_URLS.bookingCancelled, 'referral-new')?.url).toBe(MESSAGE_DEFINITION_URLS.bookingCancelled)
  })

  it('falls back to the workflow for an unknown canonical, else returns undefined', () => {
    const unknown = 'https://fhir.nhs.uk/MessageDefinition/bars-message-something-else'
    expect(definitionFor(unknown, 'booking-new')?.url).toBe(MESSAGE_DEFINITION_URLS.bookingRequest)
    expect(definitionFor(unknown)).toBeUndefined()
    expect(definitionFor(undefined)).toBeUndefined()
    expect(definitionFor('https://example.org/MessageDefinition/bars-message-booking-request')).toBeUndefined()
  })

  it('maps the canonical typo of the App 6 short responses (REFRESP02/03) to response-referral-short', () => {
    expect(definitionFor('https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-response-short')?.url).toBe(
      MESSAGE_DEFINITION_URLS.referralResponseShort,
    )
  })

  it('returns frozen national objects', () => {
    const def = definitionFor('referral-new')!
    expect(Object.isFrozen(def)).toBe(true)
    expect(() => {
      ;(def as { version?: string }).version = 'x'
    }).toThrow(TypeError)
  })
})

describe('focusRules', () => {
  it('sums rows of the same resource type and skips Bundle', () => {
    const rules = focusRules(definitionFor('referral-new')!)
    expect(rules.has('Bundle')).toBe(false)
    expect(rules.get('Flag')).toEqual({ resourceType: 'Flag', min: 0, max: undefined })
    expect(rules.get('Location')).toEqual({ resourceType: 'Location', min: 0, max: undefined })
    expect(rules.get('Consent')).toEqual({ resourceType: 'Consent', min: 1, max: undefined })
    expect(rules.get('Patient')).toEqual({ resourceType: 'Patient', min: 1, max: 1 })
    expect(rules.get('Device')).toEqual({ resourceType: 'Device', min: 0, max: 1 })
    expect(rules.get('Organization')).toEqual({ resourceType: 'Organization', min: 2, max: undefined })
  })

  it('adds finite maxima', () => {
    const def: MessageDefinition = {
      resourceType: 'MessageDefinition',
      status: 'active',
      date: '2024-01-01',
      eventCoding: { code: 'x' },
      focus: [
        { code: 'Location', min: 1, max: '1' },
        { code: 'Location', min: 0, max: '2' },
      ],
    }
    expect(focusRules(def).get('Location')).toEqual({ resourceType: 'Location', min: 1, max: 3 })
  })
})

describe('checkConformance on the real NHS examples', () => {
  it.each([
    [REFREQ01, REFERRAL_DEF],
    ['REFREQ02_Referral_Service_Request_New_Full_999_to_CAS.json', REFERRAL_DEF],
    ['REFREQ03_Referral_Service_Request_New_Full_Primary_Care_to_Community_Pharmacy_Minor_Illness.json', REFERRAL_DEF],
    ['REFREQ04_Referral_Service_Request_CAD_Out_of_Area.json', REFERRAL_DEF],
    ['REFREQ05_Referral_Service_Request_CAD_Mutal_Aid_Request.json', REFERRAL_DEF],
    ['REFREQ06_Referral_Service_Request_New_Full_GP_to_BP_ABPM.json', REFERRAL_DEF],
    ['REFREQ07_Referral_Service_Request_New_Full_GP_to_OC.json', REFERRAL_DEF],
    ['REFREQ10_Referral_Service_Request_CAD_Out_of_Area_C4_1_of_1.json', REFERRAL_DEF],
    ['REFREQ11_Referral_Service_Request_Internal_broker_AandG_To_e-RS.json', REFERRAL_DEF],
    ['REFREQ8A_Referral_Service_Request_CAD_Out_of_Area_C1_1_of_4_Initial.json', REFERRAL_DEF],
    // CAD updates: the receiver's own Encounter is echoed beside the sender's (Encounter 1..1 relaxed)
    ['REFREQ8B_Referral_Service_Request_CAD_Out_of_Area_C1_2_of_4_Update.json', REFERRAL_DEF],
    ['REFREQ8C_Referral_Service_Request_CAD_Out_of_Area_C1_3_of_4_Update.json', REFERRAL_DEF],
    ['REFREQ8D_Referral_Service_Request_CAD_Out_of_Area_C1_4_of_4_Final_Update.json', REFERRAL_DEF],
    ['REFREQ9A_Referral_Service_Request_CAD_Out_of_Area_C2_1_of_3_Initial.json', REFERRAL_DEF],
    ['REFREQ9A_Referral_Service_Request_CAD_Out_of_Area_C2_2_of_3_Update.json', REFERRAL_DEF],
    ['REFREQ9A_Referral_Service_Request_CAD_Out_of_Area_C2_3_of_3_Final_Update.json', REFERRAL_DEF],
    [BOOKREQ01, 'bars-message-booking-request'],
    ['BOOKREQ02_Booking_Request_Cancelled.json', 'bars-message-booking-request-cancelled'],
    ['SERVREQ01_Service_Request_Update_Revoked.json', 'bars-message-servicerequest-request-cancelled'],
    // no MessageHeader.definition: found through its workflow (validation-cancel)
    ['SERVREQ02_Service_Request_Delete_Entered_in_error.json', 'bars-message-servicerequest-request-cancelled'],
    ['VALREQ01_Validation_Service_Request_New_Full_999_to_CAS.json', 'bars-message-servicerequest-request-validation'],
    ['VALREQ02_Validation_Service_Request_Update_Full_999_to_CAS_Lower_Priority.json', 'bars-message-servicerequest-request-validation'],
    ['VALREQ03_Validation_Service_Request_New_Full_AMPDS_999_to_CAS.json', 'bars-message-servicerequest-request-validation'],
    ['VALRESP01_Validation_Response_HTTP_Response_Acknowledgment_CAS_to_999_Planned_0_of_2.json', 'bars-message-servicerequest-request-validation'],
    ['REFRESP01_Referral_Service_Request_Response_New_Full_ED_to_111_Safeguarding_DNA_Feedback.json', 'bars-message-servicerequest-response-referral'],
    ['REFRESP02-_Referral_Service_Request_Reponse_Short_CAD_Mutual_Aid_Rejection.json', 'bars-message-servicerequest-response-referral-short'],
    ['REFRESP03_Referral_Service_Request_Response_CAD_Out_of_Area_Response.json', 'bars-message-servicerequest-response-referral-short'],
    ['VALRESP01A_Validation_Response_New_Interim_CAS_to_999_In-progress_1_of_2.json', 'bars-message-servicerequest-response-validation-interim'],
    ['VALRESP01B_Validation_Response_Update_Full_CAS_to_999_Finished_2_of_2.json', 'bars-message-servicerequest-response-validation-full'],
    ['VALRESP02_Validation_Response_New_Full_CAS_to_999_Finished.json', 'bars-message-servicerequest-response-validation-full'],
    ['VALRESP03_Validation_Response_New_Full_CAS_to_999_Finished_Inc_New_CADid_Cat_1-2.json', 'bars-message-servicerequest-response-validation-full'],
    ['VALRESP04_Validation_Response_Interim_Reject_Validation_Request.json', 'bars-message-servicerequest-response-validation-interim'],
    ['VALRESP05_Validation_Response_Falls_to_999_Finished_copy.json', 'bars-message-servicerequest-response-validation-full'],
  ])('%s conforms to %s', (file, name) => {
    const bundle = fixture(file)
    const def = definitionOf(bundle)
    expect(definitionName(def)).toBe(name)
    expect(() => conform(bundle, def)).not.toThrow()
  })
})

describe('checkConformance breaches', () => {
  const without = (bundle: Bundle, type: string): Bundle => ({ ...bundle, entry: bundle.entry!.filter((e) => e.resource?.resourceType !== type) })
  const withCopyOf = (bundle: Bundle, type: string, fullUrl: string, patch: Record<string, unknown> = {}): Bundle => {
    const entry = bundle.entry!.find((e) => e.resource?.resourceType === type)!
    const copy = { fullUrl, resource: { ...structuredClone(entry.resource!), ...patch } } as BundleEntry
    return { ...bundle, entry: [...bundle.entry!, copy] }
  }

  it('rejects a referral without its Consent, naming the definition and the count', () => {
    const e = caught(() => conform(without(fixture(REFREQ01), 'Consent')))
    expect(e.kind).toBe('invariant')
    expect(e.message).toBe('MessageDefinition bars-message-servicerequest-request-referral requires at least 1 Consent; the Bundle has 0.')
    expect(e.expression).toEqual(['Bundle.entry'])
  })

  it('rejects two Patients', () => {
    const e = caught(() => conform(withCopyOf(fixture(REFREQ01), 'Patient', 'urn:uuid:0b8a8f8e-1f53-4c5e-9d47-3f2f4f0d8e11')))
    expect(e.kind).toBe('invariant')
    expect(e.message).toBe('MessageDefinition bars-message-servicerequest-request-referral allows at most 1 Patient; the Bundle has 2.')
  })

  it('rejects a resource type the definition does not list', () => {
    const booking = fixture(BOOKREQ01)
    const slot = booking.entry!.find((e) => e.resource?.resourceType === 'Slot')!
    const referral = fixture(REFREQ01)
    const e = caught(() => conform({ ...referral, entry: [...referral.entry!, slot] }))
    expect(e.message).toBe('MessageDefinition bars-message-servicerequest-request-referral does not allow Slot; the Bundle has 1.')
  })

  it('rejects a booking without its Slot', () => {
    const e = caught(() => conform(without(fixture(BOOKREQ01), 'Slot')))
    expect(e.message).toBe('MessageDefinition bars-message-booking-request requires at least 1 Slot; the Bundle has 0.')
  })

  it('rejects a booking with too few Organizations', () => {
    const bundle = fixture('BOOKREQ02_Booking_Request_Cancelled.json')
    const orgs = bundle.entry!.filter((e) => e.resource?.resourceType === 'Organization')
    const e = caught(() => conform({ ...bundle, entry: bundle.entry!.filter((x) => x !== orgs[1]) }))
    expect(e.message).toBe('MessageDefinition bars-message-booking-request-cancelled requires at least 2 Organization; the Bundle has 1.')
  })

  it('reports every breach at once', () => {
    const bundle = without(without(fixture(REFREQ01), 'Consent'), 'CarePlan')
    const e = caught(() => conform(bundle, definitionFor('referral-new')!))
    expect(e.message).toContain('requires at least 1 CarePlan; the Bundle has 0.')
    expect(e.message).toContain('requires at least 1 Consent; the Bundle has 0.')
  })

  it('discounts one receiver Encounter besides the one the ServiceRequest points at, but no more', () => {
    const one = withCopyOf(fixture(REFREQ01), 'Encounter', 'urn:uuid:5d0c2f6a-8d55-4a43-9a5e-1b2b3c4d5e6f', { status: 'planned' })
    expect(() => conform(one)).not.toThrow()
    const two = withCopyOf(one, 'Encounter', 'urn:uuid:6e1d3a7b-9e66-4b54-8b6f-2c3c4d5e6f70', { status: 'planned' })
    const e = caught(() => conform(two))
    expect(e.message).toBe(
      "MessageDefinition bars-message-servicerequest-request-referral allows at most 1 Encounter; the Bundle has 2 (not counting the receiver's own Encounter).",
    )
  })

  it('counts every Encounter when the focus is not a ServiceRequest', () => {
    const bundle = fixture('VALRESP01A_Validation_Response_New_Interim_CAS_to_999_In-progress_1_of_2.json')
    const extra = withCopyOf(bundle, 'Encounter', 'urn:uuid:7f2e4b8c-0f77-4c65-9c70-3d4d5e6f7081')
    const e = caught(() => conform(extra))
    expect(e.message).toBe('MessageDefinition bars-message-servicerequest-response-validation-interim allows at most 2 Encounter; the Bundle has 3.')
  })

  it('rejects a message checked against a definition for another event', () => {
    const e = caught(() => conform(fixture(REFREQ01), definitionFor('booking-new')!))
    expect(e.kind).toBe('invariant')
    expect(e.message).toBe('MessageDefinition bars-message-booking-request is for event booking-request; MessageHeader.eventCoding is servicerequest-request.')
    expect(e.expression).toEqual(['MessageHeader.eventCoding'])
  })
})

const ED: TServiceDefinitionInput = { dosServiceId: '2000099999', name: 'Anytown ED', useCases: ['a1t1', 'A2T1'], appVersion: '2.1.0' }
const CAS: TServiceDefinitionInput = { dosServiceId: '2000011147', name: 'Anytown CAS', useCases: ['a4t1'], appVersion: '2.0.0' }

describe('buildServiceMessageDefinitions', () => {
  it('copies the four request definitions we receive with our service id, use cases and version', () => {
    const defs = buildServiceMessageDefinitions(ED)
    expect(defs.map((d) => d.url)).toEqual([
      MESSAGE_DEFINITION_URLS.referralRequest,
      MESSAGE_DEFINITION_URLS.cancelledRequest,
      MESSAGE_DEFINITION_URLS.bookingRequest,
      MESSAGE_DEFINITION_URLS.bookingCancelled,
    ])
    for (const d of defs) {
      expectValidFhir(d)
      expect(d.version).toBe('2.1.0')
      expect(d.useContext).toEqual([
        {
          code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'workflow' },
          valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/Id/dos-service-id', code: '2000099999', display: 'Anytown ED' }] },
        },
        {
          code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'workflow' },
          valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/usecases-categories-bars', code: 'a1t1', display: '111 to ED' }] },
        },
        {
          code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'workflow' },
          valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/usecases-categories-bars', code: 'a2t1', display: '111 Online to ED' }] },
        },
      ])
      const national = definitionFor(d.url)!
      expect(d.focus).toEqual(national.focus)
      expect(d.eventCoding).toEqual(national.eventCoding)
      expect(d.id).not.toBe(national.id)
    }
    expect(new Set(defs.map((d) => d.id)).size).toBe(4)
    expect(defs[0]!.id).toBe('servicerequest-request-referral-2000099999')
  })

  it('leaves the national definitions untouched', () => {
    buildServiceMessageDefinitions(ED)
    const national = definitionFor('referral-new')!
    expect(national.version).toBe('1.0.0-beta')
    expect(national.useContext?.[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe('dos-id')
  })

  it('adds the validation request definition for an App 4 (a4) service', () => {
    const defs = buildServiceMessageDefinitions(CAS)
    expect(defs.map((d) => d.url)).toContain(MESSAGE_DEFINITION_URLS.validationRequest)
    expect(buildServiceMessageDefinitions(ED).map((d) => d.url)).not.toContain(MESSAGE_DEFINITION_URLS.validationRequest)
    for (const d of defs) expectValidFhir(d)
  })
})

describe('searchMessageDefinitions', () => {
  const services = [ED, CAS]
  const search = (...context: string[]) => searchMessageDefinitions(services, context, { baseUrl: 'https://bars.example.nhs.uk/fhir/' })

  it('returns a valid searchset of the service definitions', () => {
    const bundle = search('https://fhir.nhs.uk/Id/dos-service-id|2000099999')
    expectValidFhir(bundle)
    expect(bundle.type).toBe('searchset')
    expect(bundle.total).toBe(4)
    expect(bundle.entry).toHaveLength(4)
    for (const e of bundle.entry!) {
      expect(e.search).toEqual({ mode: 'match' })
      expect(e.fullUrl).toBe(`https://bars.example.nhs.uk/fhir/MessageDefinition/${e.resource!.id}`)
      expect(e.resource!.useContext?.[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe('2000099999')
    }
  })

  it.each([
    'http://fhir.nhs.uk/Id/dos-service-id|2000099999',
    'https://fhir.nhs.uk/CodeSystem/dos-id|2000099999',
    '2000099999',
    'https%3A%2F%2Ffhir.nhs.uk%2FId%2Fdos-service-id%7C2000099999',
  ])('accepts the service context %s', (context) => {
    expect(search(context).entry!.map((e) => e.resource!.id)).toEqual(buildServiceMessageDefinitions(ED).map((d) => d.id))
  })

  it('narrows by an optional use-case context, with or without system, in any case', () => {
    expect(search('https://fhir.nhs.uk/Id/dos-service-id|2000099999', 'https://fhir.nhs.uk/CodeSystem/usecases-categories-bars|a1t1').total).toBe(4)
    expect(search('2000099999', 'A2T1').total).toBe(4)
    expect(search('https://fhir.nhs.uk/Id/dos-service-id|2000011147,https://fhir.nhs.uk/CodeSystem/usecase-categories-bars|a4t1').total).toBe(5)
  })

  it('404s when the service does not support the use case', () => {
    const e = caught(() => search('https://fhir.nhs.uk/Id/dos-service-id|2000099999', 'https://fhir.nhs.uk/CodeSystem/usecases-categories-bars|a4t1'))
    expect(e.kind).toBe('not-found')
  })

  it('404s for a service we do not serve', () => {
    const e = caught(() => search('https://fhir.nhs.uk/Id/dos-service-id|1111111111'))
    expect(e.kind).toBe('not-found')
    expect(e.message).toContain('1111111111')
  })

  it.each([[[]], [['']], [['  ', '']], [['https://fhir.nhs.uk/CodeSystem/usecases-categories-bars|a1t1']], [['a1t1']]])(
    'requires a service context (%j)',
    (context) => {
      expect(caught(() => search(...context)).kind).toBe('required')
    },
  )

  it.each([
    'https://fhir.nhs.uk/Id/dos-service-id|',
    'https://fhir.nhs.uk/Id/dos-service-id|2000 099999',
    'https://example.org/Id/other|2000099999',
    '%E0%A4%A',
    '<script>',
  ])('rejects the malformed context %s as invalid', (context) => {
    const e = caught(() => search(context))
    expect(e.kind).toBe('invalid')
    expect(e.expression).toEqual(['context'])
  })

  it('uses urn:uuid fullUrls when no base URL is given', () => {
    const bundle = searchMessageDefinitions(services, ['2000011147'])
    expect(bundle.entry!.every((e) => /^urn:uuid:[0-9a-f-]{36}$/.test(e.fullUrl!))).toBe(true)
    expectValidFhir(bundle)
  })
})
