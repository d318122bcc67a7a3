import type { Bundle } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { fixture } from '@/lib/testing/fhir-request'
import { arpRank, isUpgrade, outcomeKind, readCasContent } from './cas-referral'

const load = (name: string) => fixture<Bundle>(name)

describe('999 content for the CAS (A3.11–A3.16, A4.4, A4.5, A4.13)', () => {
  it('REFREQ02 (App 3): Pathways codes, call-back window, call connect, every incident-location field, scene safety unknown when not sent', () => {
    const c = readCasContent(load('REFREQ02_Referral_Service_Request_New_Full_999_to_CAS.json'))
    expect(c.cdss.software).toBe('Pathways')
    expect(c.codes.filter((x) => x.kind !== 'other').map((x) => `${x.kind}:${x.code}`)).toEqual(['sd:SD4501', 'sg:SG1011', 'dx:Dx335'])
    expect(c.arpCode).toBeUndefined()
    expect(c.window).toEqual({ start: '2021-11-26T15:00:00+00:00', end: '2021-11-26T15:20:00+00:00' })
    expect(c.callConnect).toBe('2021-11-26T15:00:00+00:00')
    expect(c.sceneSafety).toEqual({ code: 'UNK', display: 'Unknown (scene safety was not sent)', sent: false })
    expect(c.incidentLocation?.fields.length).toBeGreaterThan(0)
  })

  it('VALREQ01 (App 4): ARP C3, clock start T5, scene safe, incident Location with UPRN, eastings, northings and position', () => {
    const c = readCasContent(load('VALREQ01_Validation_Service_Request_New_Full_999_to_CAS.json'))
    expect(c.arpCode).toBe('C3')
    expect(c.clockStart).toBe('2021-11-26T15:00:00+00:00')
    expect(c.carePlanStatus).toBe('active')
    expect(c.senderCaseId).toBe('sender1234')
    expect(c.sceneSafety).toMatchObject({ code: 'S', sent: true })
    const labels = c.incidentLocation!.fields.map((f) => f.label)
    expect(labels).toEqual(['Name', 'Address line 1', 'Town or city', 'Postcode', 'Country', 'UPRN', 'Eastings', 'Northings', 'Latitude, longitude'])
    expect(c.safeguarding).toBe(false)
  })

  it('VALREQ03: AMPDS dispatch code and ARP C4 (A3.13)', () => {
    const c = readCasContent(load('VALREQ03_Validation_Service_Request_New_Full_AMPDS_999_to_CAS.json'))
    expect(c.cdss.software).toBe('AMPDS')
    expect(c.codes.map((x) => `${x.kind}:${x.code}`)).toEqual(['ampds:10A01', 'arp:C4'])
  })

  it('VALREQ02: a scene-safety Flag coded only as text is shown by its text (Q12)', () => {
    const c = readCasContent(load('VALREQ02_Validation_Service_Request_Update_Full_999_to_CAS_Lower_Priority.json'))
    expect(c.sceneSafety).toMatchObject({ code: 'OTHER', display: 'Patient has some scene safety issues.', sent: true })
  })

  it('reads both spellings of the outcome code systems (Q13)', () => {
    expect(outcomeKind('https://fhir.nhs.uk/Id/pathways-sd-code')).toBe('sd')
    expect(outcomeKind('https://fhir.nhs.uk/CodeSystem/pathways-sd-codes')).toBe('sd')
    expect(outcomeKind('https://fhir.nhs.uk/Id/pathways-arp-code')).toBe('arp')
    expect(outcomeKind('https://fhir.nhs.uk/CodeSystem/arp-priority-codes')).toBe('arp')
    expect(outcomeKind('https://fhir.nhs.uk/Id/ampds-code')).toBe('ampds')
    expect(outcomeKind('https://fhir.nhs.uk/CodeSystem/ampds-dispatch-codes')).toBe('ampds')
  })

  it('ranks ARP categories for the clock rule (A4.36): C2 is higher than C3, C5 lower; HCP codes are not comparable', () => {
    expect(isUpgrade('C3', 'C2')).toBe(true)
    expect(isUpgrade('C3', 'C3')).toBe(false)
    expect(isUpgrade('C3', 'C5')).toBe(false)
    expect(isUpgrade('C3', 'HCP1')).toBe(false)
    expect(arpRank('c1')).toBe(0)
  })
})
