import { beforeAll, describe, expect, it } from 'vitest'
import { GET, POST } from '@/app/fhir/Slot/route'
import { prisma } from '@/lib/db/prisma'
import { EXAMPLE_SLOT_ID } from '@/lib/demo/demo-data'
import { fhirRequest, outcomeCodes, readJson, target } from '@/lib/testing/fhir-request'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { addDays } from '@/lib/slots/generate-slots'
import { londonDate, londonWallClockToUtc } from '@/lib/time/london'
import { seed } from '@/prisma/seed'

const now = new Date()
const tomorrow = addDays(londonDate(now), 1)
const at = (minutes: number) => londonWallClockToUtc(tomorrow, minutes)
const iso = (d: Date) => d.toISOString().replace('Z', '+00:00')

/** The query of the NHS example (BOOKREQRESP01): both statuses, a window, the service, every include. */
function exampleQuery(o: { from?: Date; to?: Date; service?: string; status?: string } = {}) {
  const p = new URLSearchParams()
  p.append('status', o.status ?? 'free,busy')
  p.append('start', `ge${iso(o.from ?? at(9 * 60))}`)
  p.append('start', `le${iso(o.to ?? at(12 * 60))}`)
  p.append('Schedule.actor:HealthcareService', o.service ?? '111111111')
  for (const i of ['Slot:schedule', 'Schedule:actor:HealthcareService', 'Schedule:actor:Practitioner', 'Schedule:actor:PractitionerRole', 'HealthcareService:providedBy', 'HealthcareService:location']) {
    p.append('_include', i)
  }
  return p.toString()
}

const search = (query: string, headers: Record<string, string> = {}) => GET(fhirRequest({ method: 'GET', path: `/fhir/Slot?${query}`, headers }))

beforeAll(async () => {
  await seed(now)
})

describe('GET /fhir/Slot', () => {
  it('answers the NHS example query with Slots + Schedule + HealthcareService, all with ids, never cached', async () => {
    const res = await search(exampleQuery())
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-type')).toContain('application/fhir+json')
    const bundle = await readJson(res)
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 7 }) // 09:00 … 12:00 inclusive
    const types = bundle.entry.map((e: any) => e.resource.resourceType)
    expect(types.filter((t: string) => t === 'Slot')).toHaveLength(7)
    expect(types).toContain('Schedule')
    expect(types).toContain('HealthcareService')
    expect(types).toContain('Organization')
    for (const e of bundle.entry) expect(e.resource.id).toBeTruthy()
    const slots = bundle.entry.filter((e: any) => e.resource.resourceType === 'Slot').map((e: any) => e.resource)
    expect(slots.map((s: any) => s.id)).toContain(EXAMPLE_SLOT_ID)
    expect(slots[0].start).toBe(iso(at(9 * 60)))
    // The 11:00 window holds the seeded booking (1 of 3): still free.
    expect(slots.find((s: any) => s.start.startsWith(at(11 * 60).toISOString().slice(0, 16))).status).toBe('free')
    const hs = bundle.entry.find((e: any) => e.resource.resourceType === 'HealthcareService').resource
    expect(hs).toMatchObject({ id: '111111111', name: 'Emergency Department - Adult' })
    // Unsupported includes are left out of the self link.
    const self = new URL(bundle.link[0].url)
    expect(self.searchParams.getAll('_include')).toEqual(['Slot:schedule', 'Schedule:actor:HealthcareService', 'HealthcareService:providedBy'])
    expectValidFhir(bundle as any)
  })

  it('accepts Z and a non-zero offset for the same window', async () => {
    const z = await readJson(await search(exampleQuery().replace(/start=ge[^&]+/, `start=ge${encodeURIComponent(at(9 * 60).toISOString())}`)))
    const local = new Date(at(9 * 60).getTime())
    const offset = `${local.toISOString().slice(0, 11)}${String((local.getUTCHours() + 2) % 24).padStart(2, '0')}${local.toISOString().slice(13, 19)}+02:00`
    const plus2 = await readJson(await search(exampleQuery().replace(/start=ge[^&]+/, `start=ge${encodeURIComponent(offset)}`)))
    expect(z.total).toBe(7)
    expect(plus2.total).toBe(7)
  })

  it('returns only genuinely bookable windows: blocked ones never, full ones only when busy is asked for', async () => {
    const db = prisma()
    const blocked = await db.slot.update({ where: { id: EXAMPLE_SLOT_ID }, data: { blocked: true } })
    const full = await db.slot.findFirstOrThrow({ where: { start: at(9 * 60) } })
    await db.slot.update({ where: { id: full.id }, data: { booked: full.capacity } })
    try {
      const freeOnly = await readJson(await search(exampleQuery({ status: 'free' })))
      const ids = freeOnly.entry.filter((e: any) => e.resource.resourceType === 'Slot').map((e: any) => e.resource.id)
      expect(ids).not.toContain(blocked.id)
      expect(ids).not.toContain(full.id)
      expect(freeOnly.total).toBe(5)
      const busyOnly = await readJson(await search(exampleQuery({ status: 'busy' })))
      expect(busyOnly.entry.filter((e: any) => e.resource.resourceType === 'Slot').map((e: any) => [e.resource.id, e.resource.status])).toEqual([[full.id, 'busy']])
    } finally {
      await db.slot.update({ where: { id: EXAMPLE_SLOT_ID }, data: { blocked: false } })
      await db.slot.update({ where: { id: full.id }, data: { booked: 0 } })
    }
  })

  it('never offers a window that has already started (a booking request could not take it)', async () => {
    const db = prisma()
    const schedule = await db.schedule.findFirstOrThrow()
    const t = Math.floor(Date.now() / 60_000) * 60_000 + 17_000 // never on a template window boundary
    const started = await db.slot.create({ data: { serviceId: schedule.serviceId, scheduleId: schedule.id, start: new Date(t - 7 * 60_000), end: new Date(t + 23 * 60_000), capacity: 3 } })
    const soon = await db.slot.create({ data: { serviceId: schedule.serviceId, scheduleId: schedule.id, start: new Date(t + 7 * 60_000), end: new Date(t + 37 * 60_000), capacity: 3 } })
    const bundle = await readJson(await search(exampleQuery({ from: new Date(t - 3_600_000), to: new Date(t + 3_600_000) })))
    const ids = bundle.entry.filter((e: any) => e.resource.resourceType === 'Slot').map((e: any) => e.resource.id)
    expect(ids).toContain(soon.id)
    expect(ids).not.toContain(started.id)
    await db.slot.deleteMany({ where: { id: { in: [started.id, soon.id] } } })
  })

  it('answers "no slots" with total 0 and an informational OperationOutcome (search.mode outcome)', async () => {
    const res = await search(exampleQuery({ from: at(2 * 60), to: at(7 * 60) })) // before opening
    expect(res.status).toBe(200)
    const bundle = await readJson(res)
    expect(bundle.total).toBe(0)
    expect(bundle.entry).toHaveLength(1)
    expect(bundle.entry[0]).toMatchObject({ search: { mode: 'outcome' }, resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] } })
    expectValidFhir(bundle as any)
  })

  it('refuses a window wider than the service allows with 422 REC_UNPROCESSABLE_ENTITY too-costly', async () => {
    const res = await search(exampleQuery({ from: at(0), to: new Date(at(0).getTime() + 169 * 3_600_000) }))
    expect(res.status).toBe(422)
    expect(outcomeCodes(await readJson(res))).toEqual({ rec: 'REC_UNPROCESSABLE_ENTITY', issue: 'too-costly' })
    // exactly the maximum (168 hours) is answered
    expect((await search(exampleQuery({ from: at(0), to: new Date(at(0).getTime() + 168 * 3_600_000) }))).status).toBe(200)
  })

  it('answers 404 REC_NOT_FOUND for a service that is not ours', async () => {
    const res = await search(exampleQuery({ service: '2000099999' }))
    expect(res.status).toBe(404)
    expect(outcomeCodes(await readJson(res))).toEqual({ rec: 'REC_NOT_FOUND', issue: 'not-found' })
  })

  it.each([
    ['missing status', (q: string) => q.replace('status=free%2Cbusy&', ''), 'required'],
    ['an invalid status', (q: string) => q.replace('status=free%2Cbusy', 'status=open'), 'value'],
    ['a single start', (q: string) => q.replace(/&start=le[^&]+/, ''), 'required'],
    ['a start without offset', (q: string) => q.replace(/start=ge[^&]+/, 'start=ge2030-01-01T09:00:00'), 'value'],
    ['no _include', (q: string) => q.replace(/&_include=[^&]+/g, ''), 'required'],
  ])('answers 400 REC_BAD_REQUEST for %s', async (_name, change, issue) => {
    const res = await search(change(exampleQuery()))
    expect(res.status).toBe(400)
    const body = await readJson(res)
    expect(outcomeCodes(body)).toEqual({ rec: 'REC_BAD_REQUEST', issue })
    expectValidFhir(body as any)
  })

  it('falls back to NHSD-Target-Identifier when the service parameter is absent', async () => {
    const q = exampleQuery().replace(/&Schedule.actor%3AHealthcareService=[^&]+/, '')
    const res = await search(q, { 'nhsd-target-identifier': target('111111111') })
    expect(res.status).toBe(200)
    expect((await readJson(res)).total).toBe(7)
  })

  it('refuses other verbs with 405 and Allow: GET', async () => {
    const res = await POST(fhirRequest({ path: '/fhir/Slot', body: {} }))
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET')
  })
})
