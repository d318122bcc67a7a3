import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Appointment, Bundle, Encounter } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { buildMessageReply, type TReplyIds } from './reply'

const EXAMPLES = path.join(import.meta.dirname, '__fixtures__/examples')
const fixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Bundle
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const NOW = '2026-01-02T03:04:05.000Z'
const SR_URL = 'urn:uuid:236bb75d-90ef-461f-b71e-fde7f899802c'
const PATIENT_URL = 'urn:uuid:9589fb37-87a2-48d8-968f-b371429208a8'
const REFERRAL_ID = '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'
const ENCOUNTER_ID = '1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d'
const APPOINTMENT_URL = 'urn:uuid:aca94bdb-2e38-4399-9ece-2ba083ce65b5'
const APPOINTMENT_ID = '7c6b5a49-3827-4165-a4b3-c2d1e0f9a8b7'
const SLOT_URL = 'urn:uuid:deb4c4b3-870b-4599-84df-5e54cef7afda'
const SLOT_ID_FROM_SEARCH = 'da83ae28-46f0-4aad-9c54-dcad462cafcb'

const referralIds: TReplyIds = {
  byFullUrl: { [SR_URL]: REFERRAL_ID },
  plannedEncounter: {
    id: ENCOUNTER_ID,
    caseReference: 'ED-000123',
    identifierSystem: 'https://bars-inbox.example.nhs.uk/Id/case-number',
    patientRef: PATIENT_URL,
    serviceRequestRef: SR_URL,
  },
  now: NOW,
}

describe('buildMessageReply for a referral (REFREQ01)', () => {
  it('echoes the bundle with an id on every resource, keeping assigned ids', () => {
    const request = fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json')
    const reply = buildMessageReply(request, referralIds)
    expect(reply.id).toBe(request.id)
    expect(reply.type).toBe('message')
    expect(reply.entry!.slice(0, -1).map((e) => e.fullUrl)).toEqual(request.entry!.map((e) => e.fullUrl))
    for (const e of reply.entry!) expect(e.resource!.id).toMatch(UUID)
    const ids = reply.entry!.map((e) => e.resource!.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(reply.entry!.find((e) => e.fullUrl === SR_URL)!.resource!.id).toBe(REFERRAL_ID)
  })

  it('appends our planned Encounter with the human-readable case reference', () => {
    const request = fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json')
    const reply = buildMessageReply(request, referralIds)
    expect(reply.entry).toHaveLength(request.entry!.length + 1)
    const last = reply.entry!.at(-1)!
    expect(last.fullUrl).toBe(`urn:uuid:${ENCOUNTER_ID}`)
    const encounter = last.resource as Encounter
    expect(encounter).toMatchObject({
      resourceType: 'Encounter',
      id: ENCOUNTER_ID,
      status: 'planned',
      meta: { lastUpdated: NOW },
      identifier: [{ system: 'https://bars-inbox.example.nhs.uk/Id/case-number', value: 'ED-000123' }],
      subject: { reference: PATIENT_URL },
      basedOn: [{ reference: SR_URL }],
    })
    expect(reply.entry!.filter((e) => e.resource?.resourceType === 'Encounter' && (e.resource as Encounter).status === 'planned')).toHaveLength(1)
  })

  it('is valid FHIR', () => {
    const reply = buildMessageReply(fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json'), referralIds)
    expectValidFhir(reply)
    expectValidFhir(reply.entry!.at(-1)!.resource!)
  })

  it('does not modify the request', () => {
    const request = fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json')
    const before = JSON.stringify(request)
    buildMessageReply(request, referralIds)
    expect(JSON.stringify(request)).toBe(before)
    expect(request.entry!.every((e) => e.resource!.id === undefined)).toBe(true)
  })

  it('omits the Encounter subject and basedOn when not given, and adds no Encounter without plannedEncounter', () => {
    const request = fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json')
    const bare = buildMessageReply(request, { byFullUrl: {}, plannedEncounter: { id: ENCOUNTER_ID, caseReference: 'X', identifierSystem: 'https://x.nhs.uk/Id/case' }, now: NOW })
    const encounter = bare.entry!.at(-1)!.resource as Encounter
    expect(encounter.subject).toBeUndefined()
    expect(encounter.basedOn).toBeUndefined()
    expect(buildMessageReply(request, { byFullUrl: {}, now: NOW }).entry).toHaveLength(request.entry!.length)
  })
})

describe('buildMessageReply for a booking (BOOKREQ01)', () => {
  const bookingIds: TReplyIds = { byFullUrl: { [APPOINTMENT_URL]: APPOINTMENT_ID }, appointmentCreated: { fullUrl: APPOINTMENT_URL, created: NOW }, now: NOW }

  it('keeps the Slot id from our slot search, sets Appointment id and created, adds no Encounter', () => {
    const request = fixture('BOOKREQ01_Booking_Request_New_Full.json')
    const reply = buildMessageReply(request, { ...bookingIds, ourIds: new Set([SLOT_ID_FROM_SEARCH]) })
    expect(reply.entry).toHaveLength(request.entry!.length)
    expect(reply.entry!.find((e) => e.fullUrl === SLOT_URL)!.resource!.id).toBe(SLOT_ID_FROM_SEARCH)
    const appointment = reply.entry!.find((e) => e.fullUrl === APPOINTMENT_URL)!.resource as Appointment
    expect(appointment.id).toBe(APPOINTMENT_ID)
    expect(appointment.created).toBe(NOW)
    for (const e of reply.entry!) expect(e.resource!.id).toMatch(UUID)
    expectValidFhir(reply)
    const requestAppointment = request.entry!.find((e) => e.fullUrl === APPOINTMENT_URL)!.resource as Appointment
    expect(requestAppointment.created).toBe('2021-10-11T15:01:30+00:00')
  })

  it('replaces every id the sender chose that is not ours (Schedule, Practitioner, Location…)', () => {
    const request = fixture('BOOKREQ01_Booking_Request_New_Full.json')
    const senderIds = new Set(request.entry!.map((e) => e.resource!.id).filter(Boolean))
    expect(senderIds.size).toBeGreaterThan(3)
    const reply = buildMessageReply(request, { ...bookingIds, ourIds: new Set([SLOT_ID_FROM_SEARCH]) })
    const kept = reply.entry!.map((e) => e.resource!.id).filter((id) => senderIds.has(id))
    expect(kept).toEqual([SLOT_ID_FROM_SEARCH])
    // without ourIds not even the Slot id survives
    const strict = buildMessageReply(request, bookingIds)
    expect(strict.entry!.some((e) => senderIds.has(e.resource!.id))).toBe(false)
  })

  it('lets an assigned id replace an id the sender sent', () => {
    const reply = buildMessageReply(fixture('BOOKREQ01_Booking_Request_New_Full.json'), { byFullUrl: { [SLOT_URL]: 'our-slot-1' }, now: NOW })
    expect(reply.entry!.find((e) => e.fullUrl === SLOT_URL)!.resource!.id).toBe('our-slot-1')
  })

  it('sets created only on the Appointment it names', () => {
    const reply = buildMessageReply(fixture('BOOKREQ01_Booking_Request_New_Full.json'), {
      byFullUrl: {},
      appointmentCreated: { fullUrl: SLOT_URL, created: NOW },
      now: NOW,
    })
    expect(reply.entry!.some((e) => (e.resource as { created?: string }).created === NOW)).toBe(false)
  })
})
