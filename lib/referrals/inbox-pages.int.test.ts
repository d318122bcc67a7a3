/**
 * The worklist sends one page of rows (the most urgent first) and says when more match; "Show more"
 * asks for a longer list. No referral is out of reach: each longer list starts with the shorter one,
 * and the last page holds every matching row.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { POST } from '@/app/fhir/process-message/route'
import { GET } from '@/app/api/referrals/route'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { fhirRequest } from '@/lib/testing/fhir-request'
import { sessionCookieFor, staffRequest } from '@/lib/testing/staff-request'
import { seed } from '@/prisma/seed'
import { INBOX_MAX_ROWS, INBOX_PAGE, inboxLimit } from './inbox-tabs'
import { listInbox } from './list-inbox'

const now = new Date()

beforeAll(async () => {
  await seed(now)
  // More new referrals than one page, through the API as a sender sends them.
  // Ten at a time: below the in-flight bound (BARS_MAX_INFLIGHT_MESSAGES), which would answer 503.
  for (let i = 0; i < 7; i++) {
    const responses = await Promise.all(Array.from({ length: 10 }, () => POST(fhirRequest({ body: freshReferral({ now }) }))))
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200))
  }
})

describe('worklist pages', () => {
  it('sends the first page with more = true; a longer list starts with it and ends with every matching row', async () => {
    const open = await prisma().referral.count({ where: { state: 'NEW', service: { kind: 'EMERGENCY', active: true } } })
    expect(open).toBeGreaterThan(INBOX_PAGE)
    expect(open).toBeLessThanOrEqual(2 * INBOX_PAGE)

    const first = await listInbox({}, now)
    expect(first.items).toHaveLength(INBOX_PAGE)
    expect(first.more).toBe(true)
    expect(first.limit).toBe(INBOX_PAGE)
    expect(first.counts.NEW).toBe(open)

    const all = await listInbox({ show: String(2 * INBOX_PAGE) }, now)
    expect(all.more).toBe(false)
    expect(all.items).toHaveLength(open)
    expect(all.items.slice(0, INBOX_PAGE).map((i) => i.id)).toEqual(first.items.map((i) => i.id))
    // Least time left first across the page boundary (no deadline sorts last).
    const deadlines = all.items.map((i) => (i.deadline ? Date.parse(i.deadline) : Infinity))
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b))
  })

  it('reads `show` as whole pages between one page and the cap; anything else is one page', () => {
    expect(inboxLimit(undefined)).toBe(INBOX_PAGE)
    expect(inboxLimit('1')).toBe(INBOX_PAGE)
    expect(inboxLimit(String(INBOX_PAGE + 1))).toBe(2 * INBOX_PAGE)
    expect(inboxLimit('99999')).toBe(INBOX_MAX_ROWS)
    for (const bad of ['', 'abc', '-100', '1e3', '100.5', '50\u0000', '123456']) expect(inboxLimit(bad)).toBe(INBOX_PAGE)
  })

  it('the API takes `show` from the query string; a value that is too long is a 400 naming it', async () => {
    const { cookie } = await sessionCookieFor('clinician@demo.nhs.uk')
    const page = (await (await GET(staffRequest('/api/referrals', { cookie }))).json()) as { items: unknown[]; more: boolean }
    expect(page.items).toHaveLength(INBOX_PAGE)
    expect(page.more).toBe(true)
    const longer = (await (await GET(staffRequest(`/api/referrals?show=${2 * INBOX_PAGE}`, { cookie }))).json()) as { items: unknown[]; more: boolean }
    expect(longer.items.length).toBeGreaterThan(INBOX_PAGE)
    expect(longer.more).toBe(false)
    const bad = await GET(staffRequest('/api/referrals?show=1000000', { cookie }))
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('show')
  })
})
