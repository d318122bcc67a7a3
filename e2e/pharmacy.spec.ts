import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { buildPharmacyCancel, buildPharmacyReferral, PHARMACY_EXAMPLE_FILES, type TPharmacyExamples } from '../lib/bars/pharmacy-messages'
import { expectNoAxeViolations, fixture, signIn, targetHeader } from './support'

// The real examples, read from disk (Playwright's loader does not import JSON modules).
const EXAMPLES = Object.fromEntries(Object.entries(PHARMACY_EXAMPLE_FILES).map(([k, f]) => [k, fixture(f)])) as unknown as TPharmacyExamples
const freshPharmacyReferral = (opts: Parameters<typeof buildPharmacyReferral>[1]) => buildPharmacyReferral(EXAMPLES, opts)
const freshPharmacyCancel = (opts: Parameters<typeof buildPharmacyCancel>[1]) => buildPharmacyCancel(EXAMPLES, opts)

test.describe.configure({ mode: 'serial' })
// Several screens, each with an axe run, on a shared 2-core machine: more than the default 30 s.
test.setTimeout(120_000)

const PHARMACIST = 'pharmacy@demo.nhs.uk'
const PHARMACY = '666666666'

async function post(request: APIRequestContext, bundle: unknown, correlationId = crypto.randomUUID()) {
  const res = await request.post('/fhir/$process-message', {
    data: JSON.stringify(bundle),
    headers: {
      'content-type': 'application/fhir+json',
      accept: 'application/fhir+json; version=1.0.0',
      'x-request-id': crypto.randomUUID(),
      'x-correlation-id': correlationId,
      'nhsd-target-identifier': targetHeader(PHARMACY),
    },
  })
  expect(res.status()).toBe(200)
  const reply = await res.json()
  const sr = reply.entry.find((e: any) => e.resource.resourceType === 'ServiceRequest').resource
  return { id: sr.id as string, correlationId }
}

function nhs(): string {
  for (;;) {
    const d = Array.from({ length: 9 }, (_, i) => (i === 0 ? 9 : Math.floor(Math.random() * 10)))
    const c = 11 - (d.reduce((a, x, i) => a + x * (10 - i), 0) % 11)
    if (c !== 10) return `${d.join('')}${c === 11 ? 0 : c}`
  }
}

async function openWorklist(page: Page) {
  await signIn(page, PHARMACIST)
  // The pharmacist's home service is the pharmacy: they land on its worklist.
  await expect(page).toHaveURL(/\/pharmacy$/)
  // Their navigation leads back to it (only users whose home service is a pharmacy get this item).
  await expect(page.locator('.nhsuk-header__navigation-list a')).toHaveText(['Inbox', 'Pharmacy referrals'])
  await expect(page.getByTestId('live-status')).toContainText('Updates live')
}

test('a REFREQ03 posted through the API appears live on the pharmacist worklist with the referring organisation and the reasonable adjustments; outcome recorded and closed', async ({ page, request }) => {
  await openWorklist(page)
  const navigations: string[] = []
  page.on('framenavigated', (f) => navigations.push(f.url()))
  const patient = { nhsNumber: nhs(), given: 'Petra', family: 'Pillbox' }
  const r = await post(request, freshPharmacyReferral({ now: new Date(), patient, reasonableAdjustments: true }))

  const row = page.getByTestId('pharmacy-row').filter({ hasText: 'Petra PILLBOX' })
  await expect(row).toBeVisible()
  expect(navigations).toEqual([]) // arrived live, no reload
  await expect(row.getByTestId('pharmacy-referrer')).toContainText('Sender Organization')
  await expect(row.getByTestId('pharmacy-referrer')).toContainText('RND')
  await expect(row.getByTestId('pharmacy-referrer')).toContainText('type not stated')
  await expect(row.getByTestId('pharmacy-adjustments')).toContainText('Provision of Additional Support')
  await expect(row.getByTestId('pharmacy-adjustments')).toContainText('Environment')
  await expect(row).toContainText('Vomiting')
  await expectNoAxeViolations(page)

  // Search by NHS number finds it.
  await page.getByLabel('Search by name or NHS number').fill('Someone Else')
  await expect(page.getByTestId('pharmacy-empty')).toContainText('No referrals match your search')
  await page.getByLabel('Search by name or NHS number').fill(patient.nhsNumber)
  await expect(page).toHaveURL(new RegExp(`q=${patient.nhsNumber}`))
  await expect(page.getByTestId('pharmacy-row')).toHaveCount(1)

  // Open it from the keyboard.
  await row.getByRole('link', { name: 'Petra PILLBOX' }).focus()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(new RegExp(`/pharmacy/referrals/${r.id}$`))
  await expect(page.getByTestId('pharmacy-adjustments')).toContainText('Provision of Additional Support')
  await expect(page.getByTestId('pharmacy-referrer')).toContainText('Sender Organization')
  await expect(page.getByTestId('pharmacy-contacts')).toContainText('07736312544')
  await expectNoAxeViolations(page)

  await page.getByLabel('How').selectOption('PHONE')
  await page.getByLabel('Result').selectOption('NO_ANSWER')
  await page.getByRole('button', { name: 'Record contact attempt' }).click()
  await expect(page.getByTestId('pharmacy-message')).toContainText('Contact attempt recorded')
  await expect(page.getByTestId('contact-attempts')).toContainText('No answer')

  await page.getByLabel('Medicine supplied').check()
  await page.getByLabel('Consultation notes (optional)').fill('Supplied an antiemetic; advised fluids.')
  await page.getByRole('button', { name: 'Save outcome' }).click()
  await expect(page.getByTestId('pharmacy-message')).toContainText('Outcome recorded')
  await expect(page.getByTestId('pharmacy-outcome')).toContainText('Medicine supplied')
  await expect(page.getByTestId('pharmacy-outcome')).toContainText('To be sent to the GP by GP Connect Update Record — not connected')
  await page.getByRole('button', { name: 'Close referral' }).click()
  await expect(page.getByTestId('pharmacy-message')).toContainText('Referral closed')
  await expect(page.getByRole('button', { name: 'Save outcome' })).toHaveCount(0)
  await expectNoAxeViolations(page)

  // The printable summary.
  await page.getByRole('link', { name: 'Printable summary of the outcome' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Petra PILLBOX')
  await expect(page.getByTestId('pharmacy-outcome')).toContainText('Medicine supplied')
  await expectNoAxeViolations(page)

  // Closed: no longer on the to-do list, on the Closed tab.
  await page.goto('/pharmacy')
  await expect(page.getByTestId('pharmacy-row').filter({ hasText: 'Petra PILLBOX' })).toHaveCount(0)
  await page.getByRole('link', { name: 'Closed' }).click()
  await expect(page.getByTestId('pharmacy-row').filter({ hasText: 'Petra PILLBOX' })).toBeVisible()
})

test('a cancellation from the GP practice takes the referral off the open worklist, live', async ({ page, request }) => {
  await openWorklist(page)
  const patient = { nhsNumber: nhs(), given: 'Carl', family: 'Cancelled' }
  const r = await post(request, freshPharmacyReferral({ now: new Date(), patient }))
  const row = page.getByTestId('pharmacy-row').filter({ hasText: 'Carl CANCELLED' })
  await expect(row).toBeVisible()
  await post(request, freshPharmacyCancel({ now: new Date(), serviceRequestId: r.id, patient }), r.correlationId)
  await expect(row).toHaveCount(0)
})

test('the worklist and the referral screen at 320 px: no horizontal scrolling, axe 0', async ({ page, request }) => {
  const patient = { nhsNumber: nhs(), given: 'Nara', family: 'Narrowscreen' }
  const r = await post(request, freshPharmacyReferral({ now: new Date(), patient, reasonableAdjustments: true }))
  await page.setViewportSize({ width: 320, height: 800 })
  await openWorklist(page)
  await expect(page.getByTestId('pharmacy-row').filter({ hasText: 'Nara NARROWSCREEN' })).toBeVisible()
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
  await expectNoAxeViolations(page)
  await page.goto(`/pharmacy/referrals/${r.id}`)
  await expect(page.getByTestId('pharmacy-adjustments')).toBeVisible()
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
  await expectNoAxeViolations(page)
  await page.goto(`/pharmacy/referrals/${r.id}/summary`)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
  await expectNoAxeViolations(page)
})
