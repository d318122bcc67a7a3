import { expect, test } from '@playwright/test'
import { listRouteFiles } from '../lib/auth/route-files'
import { signIn, USERS } from './support'

const FAKE_ID = '00000000-0000-4000-8000-000000000000'

function expectSecurityHeaders(h: Record<string, string>, label: string) {
  const csp = h['content-security-policy'] ?? ''
  expect(csp, label).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/)
  expect(csp, label).not.toMatch(/script-src[^;]*'unsafe-inline'/)
  expect(csp, label).toContain("frame-ancestors 'none'")
  expect(h['strict-transport-security'], label).toMatch(/max-age=\d+/)
  expect(h['x-content-type-options'], label).toBe('nosniff')
  expect(h['x-frame-options'], label).toBe('DENY')
}

test('every page and API route answers with the security headers (signed in or not, allowed or refused)', async ({ request }) => {
  const urls = new Set<string>(['/fhir/$process-message', '/no-such-page'])
  for (const f of listRouteFiles()) urls.add(f.pattern.replace('[...nextauth]', 'session').replace(/\[[^\]]+\]/g, FAKE_ID))
  for (const url of urls) {
    const res = await request.get(url, { maxRedirects: 0 })
    expectSecurityHeaders(res.headers(), `GET ${url} (${res.status()})`)
  }
  const post = await request.post('/api/admin/services', { data: {}, maxRedirects: 0 })
  expectSecurityHeaders(post.headers(), 'POST /api/admin/services')
})

test('each page load gets a fresh nonce, and the app runs under the CSP with no violations', async ({ page, request }) => {
  const a = (await request.get('/sign-in')).headers()['content-security-policy']
  const b = (await request.get('/sign-in')).headers()['content-security-policy']
  expect(a).not.toBe(b)
  const violations: string[] = []
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text())
  })
  await signIn(page, USERS.admin)
  await expect(page).toHaveURL(/\/admin/)
  await page.getByRole('link', { name: 'Services' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible()
  expect(violations).toEqual([])
})
