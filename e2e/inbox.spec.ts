import { expect, test, type Page } from '@playwright/test'
import type { ChildProcess } from 'node:child_process'
import { freshReferral, receivedFor, startSimulator, startWorker, stop, useSimulatorForResponses } from './inbox-helpers'
import { expectNoAxeViolations, postMessage, signIn, USERS } from './support'

test.describe.configure({ mode: 'serial' })

let sim: ChildProcess | null = null
let worker: ChildProcess | null = null

test.beforeAll(async () => {
  await useSimulatorForResponses()
  sim = await startSimulator()
  worker = await startWorker()
})

test.afterAll(async () => {
  await stop(worker)
  await stop(sim)
})

const b64json = (s: string) => JSON.parse(Buffer.from(s, 'base64').toString('utf8'))

/** Post a referral through the API; returns its ids and the row's case reference. */
async function refer(request: Parameters<typeof postMessage>[0], opts: Parameters<typeof freshReferral>[0]) {
  const bundle = freshReferral(opts)
  const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
  const res = await postMessage(request, bundle, ids)
  expect(res.status()).toBe(200)
  const reply = await res.json()
  return { bundleId: bundle.id as string, ...ids, caseReference: reply.entry.at(-1).resource.identifier[0].value as string, at: Date.now() }
}

async function openInbox(page: Page) {
  await signIn(page, USERS.clinician)
  await expect(page).toHaveURL(/\/inbox/)
  await expect(page.getByTestId('live-status')).toContainText('Updates live')
}

async function openReferral(page: Page, caseReference: string) {
  const row = page.getByTestId('inbox-row').filter({ hasText: caseReference })
  await row.getByRole('link').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('patient-banner')).toBeVisible()
  await expect(page.getByTestId('referral-state')).toBeVisible()
}

test('a referral posted through the API appears live in an open inbox, without a refresh', async ({ page, request }) => {
  await openInbox(page)
  // Record, in the page, the moment the new row is rendered.
  const seen = page.evaluate(
    (name) =>
      new Promise<number>((resolve) => {
        const look = () => [...document.querySelectorAll('[data-testid=inbox-row]')].some((r) => r.textContent?.includes(name))
        const obs = new MutationObserver(() => {
          if (look()) {
            obs.disconnect()
            resolve(Date.now())
          }
        })
        obs.observe(document.body, { subtree: true, childList: true, characterData: true })
        setTimeout(() => resolve(Number.NaN), 15_000)
      }),
    'Livia LIVELY',
  )
  const navigations: string[] = []
  page.on('framenavigated', (f) => navigations.push(f.url()))
  const r = await refer(request, { given: 'Livia', family: 'Lively', nhsNumber: '9449305552', deadlineMinutes: 5 })
  const row = page.getByTestId('inbox-row').filter({ hasText: r.caseReference })
  await expect(row).toContainText('Livia LIVELY')
  await expect(row).toContainText('944 930 5552')
  await expect(row).toContainText('Safeguarding')
  await expect(row.locator('[data-urgency]')).toHaveAttribute('data-urgency', 'red')
  const latency = (await seen) - r.at
  console.log(`[inbox e2e] live update: row visible ${latency} ms after the API's 200`)
  test.info().annotations.push({ type: 'live-update-latency-ms', description: String(latency) })
  expect(navigations).toEqual([]) // no reload happened
  await expectNoAxeViolations(page) // full, with flags
})

test('the inbox has a clear empty state, and it is accessible', async ({ page }) => {
  await openInbox(page)
  await page.getByRole('link', { name: /^Cancelled/ }).click()
  await expect(page.getByTestId('inbox-empty')).toHaveText('No cancelled referrals.')
  await expect(page).toHaveURL(/state=cancelled/)
  await expectNoAxeViolations(page)
  await page.getByLabel('Search by name or NHS number').fill('Nobody Atall')
  await expect(page.getByTestId('inbox-empty')).toHaveText('No referrals match your search. Clear the filters to see every referral.')
  await expect(page.getByTestId('clear-filters')).toBeVisible()
})

test('a clinician accepts from the keyboard and the sender receives the response once, with the right headers', async ({ page, request }) => {
  const r = await refer(request, { given: 'Alan', family: 'Accepted' })
  await openInbox(page)
  await openReferral(page, r.caseReference)
  await expectNoAxeViolations(page)
  await page.keyboard.press('a')
  // Accept asks for a confirmation, focused, so the keyboard path is A then Enter (docs/hazard-log.md).
  await expect(page.getByRole('button', { name: 'Confirm accept' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('action-status')).toContainText('Referral accepted')
  await expect(page.getByTestId('action-status')).toBeFocused()
  await expect(page.getByTestId('referral-state')).toHaveText('Accepted')

  const [msg] = await receivedFor(r.correlationId, 1)
  expect(msg!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  expect(msg!.headers['x-request-id']).not.toBe(r.requestId)
  expect(b64json(msg!.headers['nhsd-target-identifier']!)).toEqual({ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: '2222222222' })
  const header = msg!.body.entry[0].resource
  expect(header).toMatchObject({ resourceType: 'MessageHeader', eventCoding: { code: 'servicerequest-response' }, response: { identifier: r.bundleId, code: 'ok' } })
  const focus = msg!.body.entry.find((e: any) => e.fullUrl === header.focus[0].reference).resource
  expect(focus).toMatchObject({ resourceType: 'Encounter', status: 'in-progress' })
  // Exactly once: nothing more arrives for this conversation.
  await page.waitForTimeout(1500)
  await receivedFor(r.correlationId, 1)
  await expect(page.getByTestId('responses')).toContainText('Delivered')
})

test('a clinician rejects with a coded reason and free text', async ({ page, request }) => {
  const r = await refer(request, { given: 'Rita', family: 'Rejected', safeguarding: false })
  await openInbox(page)
  await openReferral(page, r.caseReference)
  await page.keyboard.press('r')
  const first = page.getByLabel('Requested resource not available within timescale')
  await expect(first).toBeFocused()
  await page.getByLabel('Failed Contact').check()
  await page.getByLabel(/Reason for the sender/).fill('Three calls, no answer')
  await page.getByRole('button', { name: 'Reject referral' }).click()
  await expect(page.getByTestId('referral-state')).toHaveText('Rejected')
  const [msg] = await receivedFor(r.correlationId, 1)
  const encounter = msg!.body.entry.map((e: any) => e.resource).find((x: any) => x.resourceType === 'Encounter' && x.status === 'cancelled')
  expect(encounter.reasonCode[0]).toEqual({
    coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/rejected-reasons-bars', code: 'FC', display: 'Failed Contact' }],
    text: 'Three calls, no answer',
  })
})

test('did-not-attend on a safeguarding referral delivers the REFRESP01-shaped safeguarding feedback', async ({ page, request }) => {
  const r = await refer(request, { given: 'Dana', family: 'Absent' })
  await openInbox(page)
  await openReferral(page, r.caseReference)
  await expect(page.getByTestId('safeguarding-flag').first()).toBeVisible()
  await page.keyboard.press('a')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('referral-state')).toHaveText('Accepted')
  await page.keyboard.press('d')
  const confirm = page.getByRole('button', { name: 'Confirm did not attend' })
  await expect(confirm).toBeFocused()
  await expect(page.getByText('safeguarding did-not-attend feedback')).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('referral-state')).toHaveText('Did not attend')

  const messages = await receivedFor(r.correlationId, 2)
  const dna = messages[1]!.body
  const header = dna.entry[0].resource
  expect(header).toMatchObject({
    eventCoding: { code: 'servicerequest-response' },
    definition: 'https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-referral',
    response: { identifier: r.bundleId },
  })
  const resources = dna.entry.map((e: any) => e.resource)
  expect(resources.find((x: any) => x.resourceType === 'ServiceRequest').status).toBe('revoked')
  expect(resources.find((x: any) => x.resourceType === 'Appointment').status).toBe('noshow')
  expect(resources.some((x: any) => x.resourceType === 'Flag' && JSON.stringify(x.category).includes('"SG"'))).toBe(true)
  expect(messages[1]!.headers['x-correlation-id']).toBe(r.correlationId)
  expect(messages[1]!.headers['x-request-id']).not.toBe(messages[0]!.headers['x-request-id'])
})

test('when the sender is down the response waits, and is delivered when it returns', async ({ page, browser, request }) => {
  await stop(sim)
  sim = null
  const r = await refer(request, { given: 'Wendy', family: 'Waiting', safeguarding: false })
  await openInbox(page)
  await openReferral(page, r.caseReference)
  await page.keyboard.press('a')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('referral-state')).toHaveText('Accepted')

  // The administrator sees it waiting, with the failure.
  const adminContext = await browser.newContext()
  const admin = await adminContext.newPage()
  await signIn(admin, USERS.admin)
  await expect(admin).not.toHaveURL(/sign-in/)
  await admin.goto('/admin/outbox')
  const waiting = admin.getByTestId('outbox-open').getByTestId('outbox-row').filter({ hasText: r.caseReference })
  await expect(waiting).toContainText('Waiting')
  await expect(waiting).toContainText('network error', { timeout: 15_000 })
  await expectNoAxeViolations(admin)

  sim = await startSimulator()
  const [msg] = await receivedFor(r.correlationId, 1, 20_000)
  expect(msg!.body.entry[0].resource.response.identifier).toBe(r.bundleId)
  await admin.reload()
  await expect(admin.getByTestId('outbox-delivered').getByTestId('outbox-row').filter({ hasText: r.caseReference })).toContainText('Delivered')
  await adminContext.close()
})

test('a referral with no NHS number and sparse data renders without errors', async ({ page, request }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const r = await refer(request, { given: 'Sam', family: 'Sparse', nhsNumber: null, sparse: true })
  await openInbox(page)
  const row = page.getByTestId('inbox-row').filter({ hasText: r.caseReference })
  await expect(row).toContainText('Not provided')
  await openReferral(page, r.caseReference)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sam SPARSE')
  await expect(page.getByTestId('banner-nhs-number')).toHaveText('Not provided')
  await expect(page.getByTestId('safeguarding-flag')).toHaveCount(0)
  await expect(page.locator('main')).not.toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)
  await expectNoAxeViolations(page)
  expect(errors).toEqual([])
})

test('current safeguarding flags head the alerts of the summary, right after the patient banner', async ({ page, request }) => {
  const r = await refer(request, { given: 'Fay', family: 'Flagged' })
  await openInbox(page)
  await openReferral(page, r.caseReference)
  await expect(page.locator('main > section').first()).toHaveAttribute('data-testid', 'patient-banner')
  await expect(page.locator('main > section').nth(1)).toHaveAttribute('data-testid', 'referral-summary')
  const first = page.getByTestId('current-alerts').locator('li').first()
  await expect(first).toHaveAttribute('data-testid', 'safeguarding-flag')
  await expect(first).toContainText('Child is cause for safeguarding concern')
  await expect(page.getByTestId('other-flags')).toContainText('Reasonable Adjustment')
  await expectNoAxeViolations(page)
})

test('a list longer than a page says how many it shows of how many, and "Show more" brings the rest (keyboard)', async ({ page, request }) => {
  // 55 referrals that only this test's search finds; a day's deadline keeps them after the other tests' rows.
  for (let i = 0; i < 55; i += 11) {
    await Promise.all(Array.from({ length: 11 }, (_, k) => refer(request, { given: `Page${i + k}`, family: 'Pagewell', deadlineMinutes: 24 * 60 })))
  }
  await openInbox(page)
  await page.getByLabel('Search by name or NHS number').fill('Pagewell')
  const rows = page.getByTestId('inbox-row')
  await expect(page.getByTestId('inbox-table').locator('caption')).toContainText('(showing 50 of 55)')
  await expect(rows).toHaveCount(50)
  const more = page.getByTestId('show-more')
  await expect(more).toHaveText('Show 5 more')
  await more.focus()
  await page.keyboard.press('Enter')
  await expect(rows).toHaveCount(55)
  await expect(page.getByTestId('inbox-table').locator('caption')).toContainText('(55)')
  await expect(more).toHaveCount(0)
  expect(new URL(page.url()).searchParams.get('show')).toBe('100')
  await expectNoAxeViolations(page)
})
