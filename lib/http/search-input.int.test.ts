/**
 * Search input at the boundary (issue 9): FHIR searches with %00, a backslash or bad values are
 * 400 with the parameter as expression (never a 500), and the staff inbox search treats % _ \ as
 * the characters they are, not as LIKE wildcards.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { GET as searchAppointments } from '@/app/fhir/Appointment/route'
import { GET as searchServiceRequests } from '@/app/fhir/ServiceRequest/route'
import { GET as searchSlots } from '@/app/fhir/Slot/route'
import { listInbox } from '@/lib/referrals/list-inbox'
import { fhirRequest, outcomeCodes, readJson } from '@/lib/testing/fhir-request'
import { seed } from '@/prisma/seed'

beforeAll(async () => {
  await seed(new Date())
})

async function outcome(res: Response) {
  const body = await readJson(res)
  return { status: res.status, ...outcomeCodes(body), expression: body.issue?.[0]?.expression }
}

describe('FHIR searches refuse text that is not text', () => {
  it('GET /ServiceRequest?identifier=%00 → 400 value at identifier', async () => {
    const res = await searchServiceRequests(fhirRequest({ path: '/fhir/ServiceRequest?identifier=%00' }))
    expect(await outcome(res)).toEqual({ status: 400, rec: 'REC_BAD_REQUEST', issue: 'value', expression: ['identifier'] })
  })

  it('GET /Appointment?patient:birthdate=%00 and an impossible birth date → 400 value at patient:birthdate', async () => {
    for (const v of ['%00', '1980-02-30', '%5C']) {
      const res = await searchAppointments(fhirRequest({ path: `/fhir/Appointment?patient:name=jones&patient:birthdate=${v}&patient:address-postalcode=LS1` }))
      expect(await outcome(res), v).toMatchObject({ status: 400, issue: 'value', expression: ['patient:birthdate'] })
    }
  })

  it('a double-encoded NUL (%2500) is refused after the second decoding', async () => {
    const res = await searchServiceRequests(fhirRequest({ path: '/fhir/ServiceRequest?identifier=%2500' }))
    expect(await outcome(res)).toMatchObject({ status: 400, expression: ['identifier'] })
  })

  it('a backslash in an identifier is only text: 200, no match', async () => {
    const res = await searchServiceRequests(fhirRequest({ path: '/fhir/ServiceRequest?identifier=%5C' }))
    expect(res.status).toBe(200)
    expect((await readJson(res)).total).toBe(0)
  })

  it('GET /Slot?status=free%00 → 400 value at status', async () => {
    const res = await searchSlots(fhirRequest({ path: '/fhir/Slot?status=free%00&start=ge2026-01-01T00:00:00Z&start=le2026-01-02T00:00:00Z&_include=Slot:schedule' }))
    expect(await outcome(res)).toMatchObject({ status: 400, issue: 'value', expression: ['status'] })
  })
})

describe('staff inbox search: % _ \\ are characters, not wildcards', () => {
  it('q=% and q=_ match nothing (before: every referral); q=\\ and NUL are no error', async () => {
    const all = await listInbox({ state: 'NEW' })
    expect(all.items.length).toBeGreaterThan(0)
    for (const q of ['%', '_', '%%', '\\', 'a\u0000b', '\ud800']) {
      expect((await listInbox({ state: 'NEW', q })).items, JSON.stringify(q)).toHaveLength(0)
    }
  })

  it('a real name still matches, in any case', async () => {
    const all = await listInbox({ state: 'NEW' })
    const family = all.items.find((i) => i.patientName)?.patientName?.split(' ').at(-1)
    expect(family).toBeTruthy()
    const found = await listInbox({ state: 'NEW', q: family!.toLowerCase() })
    expect(found.items.length).toBeGreaterThan(0)
  })
})
