import { expect, test } from '@playwright/test'
import { expectNoAxeViolations, fixture, postMessage, signIn, USERS } from './support'

test('GET / serves the sign-in page', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Sign in to BaRS Inbox' })).toBeVisible()
  await expectNoAxeViolations(page)
})

test('a wrong password is refused with a clear error', async ({ page }) => {
  await page.goto('/sign-in')
  await page.getByLabel('Email address').fill(USERS.clinician)
  await page.getByLabel('Password').fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.locator('#sign-in-error')).toContainText('The email address or password is not right')
  await expect(page.locator('#sign-in-error')).toBeFocused()
  await expect(page).toHaveURL(/sign-in/)
})

test('the inbox requires sign-in', async ({ page }) => {
  await page.goto('/inbox')
  await expect(page).toHaveURL(/\/sign-in/)
})

test('a real 111→ED referral posted through the API appears in the inbox and opens', async ({ page, request }) => {
  const res = await postMessage(request, fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json'))
  expect(res.status()).toBe(200)
  const reply = await res.json()
  const encounter = reply.entry.at(-1).resource
  expect(encounter).toMatchObject({ resourceType: 'Encounter', status: 'planned' })
  const caseReference: string = encounter.identifier[0].value

  await signIn(page, USERS.clinician)
  await expect(page).toHaveURL(/\/inbox/)
  const row = page.getByTestId('inbox-row').filter({ hasText: caseReference })
  await expect(row).toContainText('Julie JONES')
  await expect(row).toContainText('347 852 6985')
  // The example as published: its safeguarding flag ended on 20 November 2021, so it is expired (no tag), as on its page.
  await expect(row).not.toContainText('Safeguarding')
  await expect(row).toContainText('2 other flags')
  await expectNoAxeViolations(page)

  await row.getByRole('link', { name: 'Julie JONES' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Julie JONES')
  // The example's safeguarding flag ended on 20 November 2021: listed as expired, not as a current alert.
  await expect(page.getByTestId('expired-flags')).toContainText('Safeguarding Concern')
  await expect(page.getByTestId('safeguarding-flag')).toHaveCount(0)
  await expect(page.getByTestId('summary-concern')).toHaveText(/Allergic Reaction/)
  await expectNoAxeViolations(page)
})
