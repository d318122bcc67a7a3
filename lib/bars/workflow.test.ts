import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Appointment, Bundle, MessageHeader, ServiceRequest } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { caught } from '@/lib/testing/caught'
import { parseMessage } from './message'
import { appointmentUseCase, classifyWorkflow, serviceRequestCategory, type TWorkflow } from './workflow'

const EXAMPLES = path.join(import.meta.dirname, '__fixtures__/examples')
const fixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Bundle
const classify = (bundle: Bundle) => classifyWorkflow(parseMessage(bundle))
const focusOf = <T>(bundle: Bundle) => parseMessage(bundle).focus as T
const headerOf = (b: Bundle) => b.entry![0]!.resource as MessageHeader

const REFREQ01 = 'REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json'
const BOOKREQ01 = 'BOOKREQ01_Booking_Request_New_Full.json'

describe('classifyWorkflow on the real NHS examples', () => {
  it.each<[string, TWorkflow]>([
    [REFREQ01, 'referral-new'],
    ['REFREQ02_Referral_Service_Request_New_Full_999_to_CAS.json', 'referral-new'],
    [BOOKREQ01, 'booking-new'],
    // booking cancellation sent with reason `new` + Appointment cancelled (open question B1)
    ['BOOKREQ02_Booking_Request_Cancelled.json', 'booking-cancel'],
    // update + ServiceRequest revoked, category validation
    ['SERVREQ01_Service_Request_Update_Revoked.json', 'validation-cancel'],
    // delete + ServiceRequest entered-in-error, category validation
    ['SERVREQ02_Service_Request_Delete_Entered_in_error.json', 'validation-cancel'],
    ['REFRESP01_Referral_Service_Request_Response_New_Full_ED_to_111_Safeguarding_DNA_Feedback.json', 'response'],
    ['VALRESP01B_Validation_Response_Update_Full_CAS_to_999_Finished_2_of_2.json', 'response'],
    ['VALREQ01_Validation_Service_Request_New_Full_999_to_CAS.json', 'validation-new'],
    ['VALREQ02_Validation_Service_Request_Update_Full_999_to_CAS_Lower_Priority.json', 'validation-update'],
  ])('%s is %s', (file, workflow) => {
    expect(classify(fixture(file))).toBe(workflow)
  })

  it('treats a revoked referral as a referral cancellation', () => {
    const bundle = fixture(REFREQ01)
    const sr = focusOf<ServiceRequest>(bundle)
    sr.status = 'revoked'
    headerOf(bundle).reason = { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/message-reason-bars', code: 'update' }] }
    expect(classify(bundle)).toBe('referral-cancel')
  })
})

describe('classifyWorkflow: unknown combinations are 400 invariant', () => {
  const expectInvariant = (bundle: Bundle, message: RegExp) => {
    const e = caught(() => classify(bundle))
    expect(e.kind).toBe('invariant')
    expect(e.status).toBe(400)
    expect(e.message).toMatch(message)
  }

  it('rejects an update to an active referral (App 1: no element-level updates)', () => {
    const bundle = fixture(REFREQ01)
    headerOf(bundle).reason = { coding: [{ code: 'update' }] }
    expectInvariant(bundle, /servicerequest-request \/ update \/ ServiceRequest active \/ referral/)
  })

  it('rejects a new referral that is already completed', () => {
    const bundle = fixture(REFREQ01)
    focusOf<ServiceRequest>(bundle).status = 'completed'
    expectInvariant(bundle, /non-standard or unknown workflow/)
  })

  it('rejects booking-response and unknown events', () => {
    const bundle = fixture(BOOKREQ01)
    headerOf(bundle).eventCoding = { system: 'https://fhir.nhs.uk/CodeSystem/message-events-bars', code: 'booking-response' }
    expectInvariant(bundle, /event booking-response/)
  })

  it('rejects a booking request that focuses a ServiceRequest', () => {
    const bundle = fixture(REFREQ01)
    headerOf(bundle).eventCoding = { system: 'https://fhir.nhs.uk/CodeSystem/message-events-bars', code: 'booking-request' }
    expectInvariant(bundle, /booking-request must focus an Appointment/)
  })

  it('rejects a booking update that is neither a cancellation nor new', () => {
    const bundle = fixture(BOOKREQ01)
    headerOf(bundle).reason = { coding: [{ code: 'update' }] }
    expectInvariant(bundle, /booking-request \/ update \/ Appointment booked/)
  })

  it('rejects a ServiceRequest without a referral/validation category', () => {
    const bundle = fixture(REFREQ01)
    focusOf<ServiceRequest>(bundle).category = [{ coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/usecases-categories-bars', code: 'a1t1' }] }]
    const e = caught(() => classify(bundle))
    expect(e.kind).toBe('invariant')
    expect(e.expression).toEqual(['ServiceRequest.category'])
  })

  it('rejects a response without a usable reason', () => {
    const bundle = fixture('REFRESP01_Referral_Service_Request_Response_New_Full_ED_to_111_Safeguarding_DNA_Feedback.json')
    delete headerOf(bundle).reason
    expectInvariant(bundle, /servicerequest-response \/ no reason/)
  })
})

describe('categories and use cases', () => {
  it('reads category and use case (lower-cased) from a ServiceRequest', () => {
    const sr = focusOf<ServiceRequest>(fixture(REFREQ01))
    expect(serviceRequestCategory(sr)).toEqual({ category: 'referral', useCase: 'a1t1' })
    sr.category![0]!.coding![1]!.code = 'A1T1'
    sr.category![0]!.coding![1]!.system = 'https://fhir.nhs.uk/CodeSystem/usecase-categories-bars'
    expect(serviceRequestCategory(sr).useCase).toBe('a1t1')
  })

  it('reads the use case of an Appointment', () => {
    const appt = focusOf<Appointment>(fixture(BOOKREQ01))
    expect(appointmentUseCase(appt)).toBe('a1t1')
    expect(appointmentUseCase({ resourceType: 'Appointment', status: 'booked', participant: [] })).toBeUndefined()
  })
})

describe('classifyWorkflow: contradictions found by fuzzing are 400, not 501', () => {
  const EX = path.join(import.meta.dirname, '__fixtures__/examples')
  const load = (n: string) => JSON.parse(readFileSync(path.join(EX, n), 'utf8')) as Bundle
  const srOf = (b: Bundle) => b.entry!.find((e) => e.resource?.resourceType === 'ServiceRequest')!.resource as ServiceRequest

  it('a ServiceRequest whose category lost its use-case code → 400 invariant at ServiceRequest.category', () => {
    const b = load('SERVREQ02_Service_Request_Delete_Entered_in_error.json')
    const sr = srOf(b)
    for (const c of sr.category ?? []) c.coding = c.coding?.filter((x) => !/usecases?-categories-bars$/i.test(x.system ?? ''))
    const e = caught(() => classifyWorkflow(parseMessage(b)))
    expect(e).toMatchObject({ kind: 'invariant', expression: ['ServiceRequest.category'] })
  })

  it('a validation category with a referral (non-a4) use case → 400 invariant', () => {
    const b = load('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json')
    for (const c of srOf(b).category ?? []) for (const x of c.coding ?? []) if (x.code === 'referral') x.code = 'validation'
    expect(caught(() => classifyWorkflow(parseMessage(b))).kind).toBe('invariant')
  })
})
