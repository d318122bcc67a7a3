import AxeBuilder from '@axe-core/playwright'
import { expect, type APIRequestContext, type Page } from '@playwright/test'
import fs from 'node:fs'
import path from 'node:path'

export const DEMO_PASSWORD = 'Demo-password-1'
export const USERS = {
  clinician: 'clinician@demo.nhs.uk',
  receptionist: 'reception@demo.nhs.uk',
  admin: 'admin@demo.nhs.uk',
} as const

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join('lib/bars/__fixtures__/examples', name), 'utf8'))
}

export function targetHeader(dosServiceId = '111111111'): string {
  return Buffer.from(JSON.stringify({ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: dosServiceId })).toString('base64')
}

/** POST a bundle to $process-message with the BaRS headers. */
export async function postMessage(request: APIRequestContext, bundle: unknown, ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }) {
  return request.post('/fhir/$process-message', {
    data: JSON.stringify(bundle),
    headers: {
      'content-type': 'application/fhir+json',
      accept: 'application/fhir+json; version=1.0.0',
      'x-request-id': ids.requestId,
      'x-correlation-id': ids.correlationId,
      'nhsd-target-identifier': targetHeader(),
    },
  })
}

export async function signIn(page: Page, email: string) {
  await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (r) => r.abort())
  await page.goto('/sign-in')
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze()
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}
