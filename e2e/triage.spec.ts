import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import type { ChildProcess } from 'node:child_process'
import pg from 'pg'
import { freshReferral, startWorker, stop } from './inbox-helpers'
import { expectPageOk, postMessage, signIn, USERS, watchConsole } from './support'

/**
 * Issue 11, "Must show": the first screen of a referral, expired flags, derived deadlines, did not
 * attend before the window, accept confirmation and "Accept and review next", stuck responses,
 * branded 404, icons. Every screen goes through expectPageOk (axe, 320 px, console).
 */
test.describe.configure({ mode: 'serial', timeout: 180_000 })

async function refer(request: APIRequestContext, opts: Parameters<typeof freshReferral>[0] & { noDeadline?: boolean }) {
  const bundle = freshReferral(opts)
  for (const e of bundle.entry) {
    const r = e.resource
    if (opts.noDeadline && r.resourceType === 'ServiceRequest') delete r.occurrencePeriod.end
  }
  const res = await postMessage(request, bundle)
  expect(res.status()).toBe(200)
  const reply = await res.json()
  const sr = reply.entry.find((x: any) => x.resource.resourceType === 'ServiceRequest').resource
  return { id: sr.id as string, caseReference: reply.entry.at(-1).resource.identifier[0].value as string, bundle }
}

async function openInbox(page: Page) {
  await signIn(page, USERS.clinician)
  await expect(page).toHaveURL(/\/inbox/)
}

async function api(page: Page, method: 'GET' | 'POST', path: string, data?: unknown) {
  const origin = new URL(page.url()).origin
  return page.request.fetch(path, { method, headers: { origin, 'content-type': 'application/json' }, data: data === undefined ? undefined : JSON.stringify(data) })
}

test('the first 800 px of the referral page hold the countdown, the callback number, the chief concern and the disposition', async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  const r = await refer(request, { given: 'Fola', family: 'Fold', deadlineMinutes: 40 })
  await openInbox(page)
  await page.goto(`/referrals/${r.id}`)
  await expect(page).toHaveTitle(/BaRS Inbox/)
  const countdown = page.getByTestId('summary-countdown')
  await expect(countdown).toContainText(/\d+ min left/)
  await expect(countdown.locator('[data-urgency]')).toHaveAttribute('data-urgency', 'amber')
  // The rank-1 contact (the patient) first, its rank-1 number (mobile) first, as a tel: link.
  const phone = page.getByTestId('callback-phone')
  await expect(phone).toHaveAttribute('href', 'tel:07736312544')
  await expect(phone).toHaveText('07736 312544')
  await expect(page.getByTestId('summary-concern')).toContainText('Allergic Reaction')
  await expect(page.getByTestId('summary-disposition')).toContainText('within 1 hour')
  await expect(page.getByTestId('summary-disposition')).toContainText('DX02')
  await expect(page.getByTestId('current-alerts').getByTestId('safeguarding-flag')).toContainText('Child is cause for safeguarding concern')
  await expect(page.getByTestId('staff-safety')).toContainText('should not be seen alone')
  expect(await page.evaluate(() => window.scrollY)).toBe(0)
  for (const id of ['summary-countdown', 'callback-phone', 'summary-concern', 'summary-disposition']) {
    const box = await page.getByTestId(id).boundingBox()
    expect(box, id).not.toBeNull()
    expect(box!.y + box!.height, `${id} bottom edge`).toBeLessThanOrEqual(800)
  }
  await expectPageOk(page)
})

test('an expired flag is shown as expired, with its dates, and not as a current alert', async ({ page, request }) => {
  const r = await refer(request, { given: 'Ezra', family: 'Expired', expiredSafeguarding: true }) // the real example's dates: the flag ended 20 November 2021
  await openInbox(page)
  // The inbox agrees with the page: no safeguarding tag, and only the two current flags counted.
  await page.getByLabel('Search by name or NHS number').fill('Ezra Expired')
  const row = page.getByTestId('inbox-row').filter({ hasText: r.caseReference })
  await expect(row).toContainText('2 other flags')
  await expect(row).not.toContainText('Safeguarding')
  await page.goto(`/referrals/${r.id}`)
  const expired = page.getByTestId('expired-flags')
  await expect(expired).toContainText('Expired')
  await expect(expired).toContainText('Safeguarding Concern: Child is cause for safeguarding concern (finding)')
  await expect(expired).toContainText('from 10 November 2020 ended 20 November 2021')
  await expect(page.getByTestId('safeguarding-flag')).toHaveCount(0)
  await expect(page.getByTestId('current-alerts')).toContainText('Reasonable Adjustment')
  await expectPageOk(page)
})

test('a DX02 referral without an explicit deadline sorts by its derived deadline, and says so', async ({ page, request }) => {
  const later = await refer(request, { given: 'Lena', family: 'Later', deadlineMinutes: 177 })
  const derived = await refer(request, { given: 'Dora', family: 'Derived', noDeadline: true })
  await openInbox(page)
  const rows = page.getByTestId('inbox-row')
  await expect(rows.filter({ hasText: derived.caseReference })).toBeVisible()
  const order = await rows.evaluateAll((els) => els.map((e) => e.textContent ?? ''))
  const at = (ref: string) => order.findIndex((t) => t.includes(ref))
  expect(at(derived.caseReference)).toBeGreaterThanOrEqual(0)
  expect(at(derived.caseReference)).toBeLessThan(at(later.caseReference))
  const row = rows.filter({ hasText: derived.caseReference })
  await expect(row.getByTestId('deadline-note')).toHaveText('derived from DX02 (within 1 hour)')
  await expect(row).toContainText(/(59|60) min left/)
  await expect(rows.filter({ hasText: later.caseReference }).getByTestId('deadline-note')).toHaveCount(0)
  await expectPageOk(page)
  await page.goto(`/referrals/${derived.id}`)
  await expect(page.getByTestId('summary-deadline-note')).toHaveText('Deadline derived from DX02 (within 1 hour), not given by the sender')
  await expectPageOk(page)
})

test('did not attend before the arrival window starts is refused, and the button says when it will be available', async ({ page, request }) => {
  const r = await refer(request, { given: 'Wyn', family: 'Window', safeguarding: false })
  await openInbox(page)
  await page.goto(`/referrals/${r.id}`)
  await page.keyboard.press('b')
  const select = page.getByLabel('New arrival window')
  await expect(select.locator('option')).not.toHaveCount(1)
  const values = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean))
  await select.selectOption(values.at(-1)!) // the latest window offered: certainly still ahead
  await page.getByRole('button', { name: 'Book this window' }).click()
  await expect(page.getByTestId('referral-state')).toHaveText('Booked')
  const dna = page.getByRole('button', { name: /Did not attend/ })
  await expect(dna).toBeDisabled()
  await expect(page.getByTestId('dna-not-yet')).toContainText('when the arrival window starts')
  await expect(dna).toHaveAttribute('aria-describedby', 'dna-not-yet')
  await page.keyboard.press('d')
  await expect(page.getByRole('button', { name: 'Confirm did not attend' })).toHaveCount(0)
  await expectPageOk(page)

  // The server refuses it too, whatever the browser does.
  const state = await (await api(page, 'GET', `/api/referrals/${r.id}`)).json()
  const res = await api(page, 'POST', `/api/referrals/${r.id}/did-not-attend`, { version: state.version })
  expect(res.status()).toBe(409)
  expect((await res.json()).message).toMatch(/cannot be marked as did not attend before their arrival window starts/)
  expect((await (await api(page, 'GET', `/api/referrals/${r.id}`)).json()).state).toBe('BOOKED')
})

test('accept needs a confirmation (Escape backs out), and "Accept and review next" opens the next referral', async ({ page, request }) => {
  const first = await refer(request, { given: 'Ada', family: 'Accepted', safeguarding: false, deadlineMinutes: 2 })
  await refer(request, { given: 'Nia', family: 'Next', safeguarding: false, deadlineMinutes: 3 })
  await openInbox(page)
  await page.goto(`/referrals/${first.id}`)
  await expect(page.getByTestId('referral-state')).toHaveText('New')
  const confirm = page.getByRole('button', { name: 'Confirm accept' })
  // The server-rendered page is visible before React has attached the shortcut: retry the key press
  // until the page answers it (a press on the focused confirm button does nothing more).
  await expect(async () => {
    await page.keyboard.press('a')
    await expect(confirm).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  await expect(confirm).toBeFocused()
  await expect(page.getByTestId('accept-confirm')).toContainText('cannot be undone once it is sent')
  await expectPageOk(page)
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('accept-confirm')).toHaveCount(0)
  await expect(page.getByTestId('referral-state')).toHaveText('New')
  expect((await (await api(page, 'GET', `/api/referrals/${first.id}`)).json()).responses).toEqual([])

  await page.keyboard.press('a')
  await page.getByRole('button', { name: 'Accept and review next' }).click()
  await expect(page).not.toHaveURL(new RegExp(first.id))
  await expect(page).toHaveURL(/\/referrals\/[0-9a-f-]{36}$/)
  await expect(page.getByTestId('referral-state')).toHaveText('New')
  const accepted = await (await api(page, 'GET', `/api/referrals/${first.id}`)).json()
  expect(accepted.state).toBe('ACCEPTED')
  expect(accepted.responses.map((x: { kind: string }) => x.kind)).toEqual(['accept'])
  await expectPageOk(page)
})

test('the worklist sorts from the keyboard, closed tabs show the decision and who made it, and filters clear', async ({ page, request }) => {
  const r = await refer(request, { given: 'Rhea', family: 'Rejectee', safeguarding: false })
  await openInbox(page)
  const state = await (await api(page, 'GET', `/api/referrals/${r.id}`)).json()
  expect((await api(page, 'POST', `/api/referrals/${r.id}/reject`, { version: state.version, reasonCode: 'FC', reasonText: 'Three calls, no answer' })).status()).toBe(200)

  const header = page.locator('th', { has: page.getByTestId('sort-name') })
  await expect(header).toHaveAttribute('aria-sort', 'none')
  await page.getByTestId('sort-name').focus()
  await page.keyboard.press('Enter')
  await expect(header).toHaveAttribute('aria-sort', 'ascending')
  await expect(page).toHaveURL(/sort=name/)
  await page.keyboard.press('Enter')
  await expect(header).toHaveAttribute('aria-sort', 'descending')

  await page.getByRole('link', { name: /^Rejected/ }).click()
  await expect(page.locator('th', { has: page.getByTestId('sort-decided') })).toHaveAttribute('aria-sort', 'descending')
  const row = page.getByTestId('inbox-row').filter({ hasText: r.caseReference })
  await expect(row.getByTestId('row-decision')).toContainText('Rejected')
  await expect(row.getByTestId('row-decision')).toContainText('by Dr Alex Clinician')
  await expect(row.getByTestId('row-decision')).toContainText('Failed Contact: Three calls, no answer')
  await expect(row.locator('[data-urgency]')).toHaveCount(0) // no countdown on a closed tab
  await expectPageOk(page)

  await page.getByLabel('Search by name or NHS number').fill('Nobody Atall')
  await expect(page.getByTestId('inbox-empty')).toContainText('No referrals match your search')
  await page.getByTestId('clear-filters').click()
  await expect(page.getByLabel('Search by name or NHS number')).toHaveValue('')
  await expect(row).toBeVisible()
  await expectPageOk(page)

  await page.goto(`/referrals/${r.id}`)
  await expect(page).toHaveTitle(`Referral ${r.caseReference} – BaRS Inbox`)
  await expect(page.getByTestId('trail')).toContainText('Dr Alex Clinician rejected the referral')
  await expect(page.getByTestId('trail')).not.toContainText('api.')
})

test('unknown URLs and referrals get the branded 404 with a title; the icons are served', async ({ page, request }) => {
  watchConsole(page)
  const res = await page.goto('/no-such-page')
  expect(res!.status()).toBe(404)
  await expect(page).toHaveTitle('Page not found – BaRS Inbox')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found')
  await expect(page.locator('header')).toContainText('BaRS Inbox')
  await expectPageOk(page, { allowConsole: [/status of 404/] })

  await signIn(page, USERS.clinician)
  await expect(page).toHaveURL(/\/inbox/)
  const missing = await page.goto('/referrals/00000000-0000-4000-8000-000000000000')
  expect(missing!.status()).toBe(404)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found')
  await expectPageOk(page, { allowConsole: [/status of 404/] })

  for (const icon of ['/favicon.ico', '/favicon.svg', '/apple-touch-icon.png', '/site.webmanifest']) {
    const r = await request.get(icon)
    expect(r.status(), icon).toBe(200)
  }
  expect((await request.get('/favicon.ico')).headers()['content-type']).toMatch(/image/)
})

test('a response stuck in the outbox shows on the referral page and as a count under the header', async ({ page, request }) => {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL })
  await db.connect()
  const { rows } = await db.query(`SELECT "id", "responseBaseUrl" FROM "SenderSystem"`)
  let worker: ChildProcess | null = null
  try {
    // The sender's system is down: nothing listens on port 9 of this machine.
    await db.query(`UPDATE "SenderSystem" SET "responseBaseUrl" = 'http://127.0.0.1:9/fhir'`)
    worker = await startWorker()
    const r = await refer(request, { given: 'Stella', family: 'Stuck', safeguarding: false })
    await openInbox(page)
    await page.goto(`/referrals/${r.id}`)
    await page.keyboard.press('a')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('referral-state')).toHaveText('Accepted')
    const stuck = page.getByTestId('stuck-response')
    await expect(stuck).toContainText('A response has not reached the sender', { timeout: 20_000 })
    await expect(stuck).toContainText(/not delivered after \d+ attempts/)
    await expect(stuck).toContainText('retried automatically')
    await expect(stuck).toContainText('phone the sender')
    await page.reload()
    const count = page.getByTestId('stuck-count')
    await expect(count).toContainText(/\d+ responses? not delivered/)
    await expect(count.getByRole('link', { name: r.caseReference })).toHaveAttribute('href', `/referrals/${r.id}`)
    await expectPageOk(page)
  } finally {
    await stop(worker)
    for (const s of rows) await db.query(`UPDATE "SenderSystem" SET "responseBaseUrl" = $1 WHERE "id" = $2`, [s.responseBaseUrl, s.id])
    // Nothing else in the suite should see this test's stuck message.
    await db.query(`DELETE FROM "OutboxMessage" WHERE "targetBaseUrl" = 'http://127.0.0.1:9/fhir'`)
    await db.end()
  }
})
