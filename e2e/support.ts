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
  watchConsole(page)
  await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (r) => r.abort())
  await page.goto('/sign-in')
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

const consoleErrors = new WeakMap<Page, string[]>()

/**
 * Collect the page's console errors and uncaught exceptions from now on (signIn does it for every
 * signed-in page; call it first for a page that does not sign in). expectNoAxeViolations fails on them.
 */
export function watchConsole(page: Page): string[] {
  const existing = consoleErrors.get(page)
  if (existing) return existing
  const errors: string[] = []
  consoleErrors.set(page, errors)
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`))
  return errors
}

async function axe(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze()
  expect(results.violations.map((v) => `${where} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

const settle = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))))

/**
 * The check every screen and state of the e2e suite goes through (issue 11): axe 0 at the current
 * size, and again at 320 px wide where the page must not be wider than the viewport
 * (document.documentElement.scrollWidth ≤ 320: wide tables scroll inside their own region), and no
 * console error or uncaught exception since the page was watched. `allowConsole` names errors a
 * test causes on purpose (e.g. the 409 of a stale second tab).
 */
export async function expectNoAxeViolations(page: Page, opts: { allowConsole?: RegExp[] } = {}) {
  await axe(page, '')
  const size = page.viewportSize()
  await page.setViewportSize({ width: 320, height: 640 })
  try {
    await settle(page)
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    const wide = width > 320
      ? await page.evaluate(() =>
          [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > 321)
            .slice(-5)
            .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} → ${Math.round(el.getBoundingClientRect().right)} px`),
        )
      : []
    expect({ url: page.url(), scrollWidth: width, widest: wide }).toEqual({ url: page.url(), scrollWidth: Math.min(width, 320), widest: [] })
    await axe(page, '(320 px)')
  } finally {
    if (size) await page.setViewportSize(size)
  }
  const seen = consoleErrors.get(page) ?? []
  const errors = seen.filter((e) => !(opts.allowConsole ?? []).some((re) => re.test(e)))
  seen.length = 0 // each check judges what happened since the last one
  expect(errors, `console errors on ${page.url()}`).toEqual([])
}

/** Every screen check under its clearer name. */
export const expectPageOk = expectNoAxeViolations
