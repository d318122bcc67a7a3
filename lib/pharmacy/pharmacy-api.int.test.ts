import { beforeAll, describe, expect, it } from 'vitest'
import { POST as processMessage } from '@/app/fhir/process-message/route'
import { GET as getList } from '@/app/api/pharmacy/referrals/route'
import { GET as getOne } from '@/app/api/pharmacy/referrals/[id]/route'
import { POST as postClose } from '@/app/api/pharmacy/referrals/[id]/close/route'
import { POST as postContact } from '@/app/api/pharmacy/referrals/[id]/contact-attempts/route'
import { POST as postOutcome } from '@/app/api/pharmacy/referrals/[id]/outcome/route'
import { randomNhsNumber } from '@/lib/bars/example-messages'
import { freshPharmacyReferral } from '@/lib/bars/pharmacy-examples'
import { fhirRequest, readJson, target } from '@/lib/testing/fhir-request'
import { routeParams, sessionCookieFor, staffRequest } from '@/lib/testing/staff-request'
import { seed } from '@/prisma/seed'

let pharmacist: string
let receptionist: string

beforeAll(async () => {
  await seed(new Date())
  pharmacist = (await sessionCookieFor('pharmacy@demo.nhs.uk')).cookie
  receptionist = (await sessionCookieFor('reception@demo.nhs.uk')).cookie
})

async function refer() {
  const nhsNumber = randomNhsNumber()
  const res = await processMessage(fhirRequest({ body: freshPharmacyReferral({ now: new Date(), patient: { nhsNumber }, reasonableAdjustments: true }), headers: { 'nhsd-target-identifier': target('666666666') } }))
  expect(res.status).toBe(200)
  const body = await readJson(res)
  return { id: body.entry.find((e: any) => e.resource.resourceType === 'ServiceRequest').resource.id as string, nhsNumber }
}

describe('staff API for the pharmacist', () => {
  it('lists, shows and acts on a referral through the routes (contact attempt, outcome, stale close refused, close)', async () => {
    const r = await refer()
    const list = await getList(staffRequest(`/api/pharmacy/referrals?q=${r.nhsNumber}`, { cookie: pharmacist }))
    expect(list.status).toBe(200)
    const data = await readJson(list)
    expect(data.items).toHaveLength(1)
    expect(data.items[0]).toMatchObject({ id: r.id, referringOrg: { name: 'Sender Organization', odsCode: 'RND' }, adjustments: ['Provision of Additional Support', 'Environment'] })

    const c = await postContact(staffRequest(`/api/pharmacy/referrals/${r.id}/contact-attempts`, { cookie: pharmacist, body: { method: 'SMS', result: 'LEFT_MESSAGE' } }), routeParams({ id: r.id }))
    expect(c.status).toBe(200)
    const o = await postOutcome(staffRequest(`/api/pharmacy/referrals/${r.id}/outcome`, { cookie: pharmacist, body: { version: 2, outcome: 'ADVICE' } }), routeParams({ id: r.id }))
    expect(o.status).toBe(200)
    const stale = await postClose(staffRequest(`/api/pharmacy/referrals/${r.id}/close`, { cookie: pharmacist, body: { version: 2 } }), routeParams({ id: r.id }))
    expect(stale.status).toBe(409)
    const closed = await postClose(staffRequest(`/api/pharmacy/referrals/${r.id}/close`, { cookie: pharmacist, body: { version: 3 } }), routeParams({ id: r.id }))
    expect(closed.status).toBe(200)
    expect(await readJson(closed)).toEqual({ version: 4, status: 'CLOSED' })

    const one = await getOne(staffRequest(`/api/pharmacy/referrals/${r.id}`, { cookie: pharmacist }), routeParams({ id: r.id }))
    expect(await readJson(one)).toMatchObject({ status: 'CLOSED', outcome: 'ADVICE', contactAttempts: [{ method: 'SMS', result: 'LEFT_MESSAGE', by: 'Priya Pharmacist' }] })
  })

  it('refuses an unknown outcome (400), a receptionist acting (403), no session (401) and an unknown id (404)', async () => {
    const r = await refer()
    const bad = await postOutcome(staffRequest(`/api/pharmacy/referrals/${r.id}/outcome`, { cookie: pharmacist, body: { version: 1, outcome: 'CURED' } }), routeParams({ id: r.id }))
    expect(bad.status).toBe(400)
    const denied = await postOutcome(staffRequest(`/api/pharmacy/referrals/${r.id}/outcome`, { cookie: receptionist, body: { version: 1, outcome: 'ADVICE' } }), routeParams({ id: r.id }))
    expect(denied.status).toBe(403)
    const anon = await getList(staffRequest('/api/pharmacy/referrals'))
    expect(anon.status).toBe(401)
    const id = crypto.randomUUID()
    const missing = await getOne(staffRequest(`/api/pharmacy/referrals/${id}`, { cookie: pharmacist }), routeParams({ id }))
    expect(missing.status).toBe(404)
  })
})
