import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Bundle, CarePlan, Flag, Patient, ServiceRequest } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { caught } from '@/lib/testing/caught'
import { parseMessage } from './message'
import { patientSummary, summariseReferral } from './referral'

const EXAMPLES = path.join(import.meta.dirname, '__fixtures__/examples')
const fixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Bundle
const refreq01 = () => fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json')
const only = <T>(bundle: Bundle, type: string) => bundle.entry!.filter((e) => e.resource?.resourceType === type).map((e) => e.resource as T)
/** When the example was sent (Bundle.timestamp): its safeguarding flag was current then (it ended 20 November 2021). */
const SENT = new Date('2021-10-11T12:15:10Z')

describe('summariseReferral on REFREQ01 (111 → ED)', () => {
  it('gives the inbox view of the referral', () => {
    expect(summariseReferral(parseMessage(refreq01()), SENT)).toEqual({
      fhirStatus: 'active',
      category: 'referral',
      useCase: 'a1t1',
      patient: { nhsNumber: '3478526985', family: 'Jones', given: 'Julie', birthDate: '1959-05-04', postcode: 'LS10 4YU' },
      chiefConcern: 'Allergic Reaction', // the Pathways SG code ("Chief Complaint") wins over SD and pathway codes
      dispositionCode: 'DX02',
      dispositionDisplay: 'The individual needs to attend an emergency treatment centre within 1 hour.',
      deadline: undefined, // occurrencePeriod has a start and no end
      safeguarding: true,
      flagCount: 3,
      requestIdentifier: undefined,
      senderCaseId: 'sender1234',
      journeyId: 'd877b820-e72b-44d1-a627-195f54bfc606',
      senderOdsCode: 'RND',
      senderName: 'Sender Organization',
      linkedAppointmentId: '3cac9cde-a262-42b3-bcf1-215ab79c3e37',
    })
  })

  it('accepts a patient without an NHS number (spec §4.5)', () => {
    const bundle = refreq01()
    const patient = only<Patient>(bundle, 'Patient')[0]!
    patient.identifier = patient.identifier!.filter((i) => i.system !== 'https://fhir.nhs.uk/Id/nhs-number')
    const summary = summariseReferral(parseMessage(bundle), SENT)
    expect(summary.patient).toEqual({ nhsNumber: undefined, family: 'Jones', given: 'Julie', birthDate: '1959-05-04', postcode: 'LS10 4YU' })
    expect(summary.useCase).toBe('a1t1')
    expect(summary.safeguarding).toBe(true)
  })

  it('gives the deadline as a UTC instant when occurrencePeriod has an end', () => {
    const bundle = refreq01()
    const sr = parseMessage(bundle).focus as ServiceRequest
    sr.occurrencePeriod = { start: '2021-10-13T16:20:27+07:00', end: '2021-10-13T17:20:27+07:00' }
    expect(summariseReferral(parseMessage(bundle)).deadline).toBe('2021-10-13T10:20:27.000Z')
  })

  it('a flag whose period ended before the referral arrived is expired: no safeguarding tag, not counted; one ending later still counts', () => {
    // Received as it is today: the example's safeguarding flag ended on 20 November 2021.
    const late = summariseReferral(parseMessage(refreq01()), new Date('2026-12-01T09:00:00Z'))
    expect(late.safeguarding).toBe(false)
    expect(late.flagCount).toBe(2) // the two flags without an end
    // Received a second before it ends: current, so it is the inbox's safeguarding tag.
    const edge = summariseReferral(parseMessage(refreq01()), new Date('2021-11-20T19:57:25.961Z'))
    expect(edge).toMatchObject({ safeguarding: true, flagCount: 3 })
    // A date-only end, and an end that is no date, behave as the referral's page shows them.
    const bundle = refreq01()
    const sg = only<Flag>(bundle, 'Flag').find((f) => f.category?.[0]?.coding?.[0]?.code === 'SG')!
    sg.period = { start: '2020-11-10', end: '2021-11-20' }
    expect(summariseReferral(parseMessage(bundle), new Date('2021-11-21T00:00:00Z')).safeguarding).toBe(false)
    expect(summariseReferral(parseMessage(bundle), new Date('2021-11-19T23:00:00Z')).safeguarding).toBe(true)
  })

  it('does not count inactive or entered-in-error flags, and no SG flag means no safeguarding', () => {
    const bundle = refreq01()
    const flags = only<Flag>(bundle, 'Flag')
    const sg = flags.find((f) => f.category?.[0]?.coding?.[0]?.code === 'SG')!
    sg.status = 'inactive'
    flags.find((f) => f !== sg)!.status = 'entered-in-error'
    const summary = summariseReferral(parseMessage(bundle))
    expect(summary.flagCount).toBe(1)
    expect(summary.safeguarding).toBe(false)
  })

  it('falls back to the pathway code for the chief concern when there is no SG code', () => {
    const bundle = refreq01()
    const carePlan = only<CarePlan>(bundle, 'CarePlan')[0]!
    carePlan.activity![0]!.outcomeCodeableConcept = carePlan.activity![0]!.outcomeCodeableConcept!.filter(
      (c) => !c.coding?.some((x) => x.system?.endsWith('pathways-sg-codes')),
    )
    expect(summariseReferral(parseMessage(bundle)).chiefConcern).toBe('Chest and Upper Back Pain')
  })

  it('rejects a ServiceRequest without a use-case code', () => {
    const bundle = refreq01()
    const sr = parseMessage(bundle).focus as ServiceRequest
    sr.category = [{ coding: [sr.category![0]!.coding![0]!] }]
    expect(caught(() => summariseReferral(parseMessage(bundle)))).toMatchObject({ kind: 'invariant', expression: ['ServiceRequest.category'] })
  })

  it('rejects a subject that does not resolve to a Patient in the bundle', () => {
    const bundle = refreq01()
    ;(parseMessage(bundle).focus as ServiceRequest).subject = { reference: 'urn:uuid:22222222-2222-4222-8222-222222222222' }
    expect(caught(() => summariseReferral(parseMessage(bundle)))).toMatchObject({ kind: 'invalid', expression: ['ServiceRequest.subject'] })
  })
})

describe('patientSummary', () => {
  it('prefers the official name and home address, upper-cases the postcode, strips spaces from the NHS number', () => {
    expect(
      patientSummary({
        resourceType: 'Patient',
        identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '965 849 9007' }],
        name: [{ use: 'nickname', given: ['Jules'] }, { use: 'official', family: 'Jones', given: ['Julie', 'Ann'] }],
        address: [{ use: 'work', postalCode: 'LS1 1AA' }, { use: 'home', postalCode: 'ls10 4yu' }],
      }),
    ).toEqual({ nhsNumber: '9658499007', family: 'Jones', given: 'Julie Ann', birthDate: undefined, postcode: 'LS10 4YU' })
    expect(patientSummary(undefined)).toEqual({})
  })
})
