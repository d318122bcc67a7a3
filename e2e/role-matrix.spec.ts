import { expect, test, type APIRequestContext, type Browser } from '@playwright/test'
import { listRouteFiles } from '../lib/auth/route-files'
import { API_ROUTES, apiAccess, expectedOutcome, PAGE_ROUTES } from '../lib/auth/route-permissions'
import { DEMO_PASSWORD, USERS } from './support'

/**
 * Every role × every staff route that exists in app/, checked against lib/auth/route-permissions.ts:
 * denied pages redirect to /sign-in (not signed in) or /no-access (signed in), denied API calls are 401/403 JSON with no data; allowed ones
 * are neither. Sender (/fhir) and public routes are not staff-session routes.
 */
const FAKE_ID = '00000000-0000-4000-8000-000000000000'
const ROLES: { name: string; email?: string; roles: string[] | null }[] = [
  { name: 'not signed in', roles: null },
  { name: 'clinician', email: USERS.clinician, roles: ['CLINICIAN'] },
  { name: 'receptionist', email: USERS.receptionist, roles: ['RECEPTIONIST'] },
  { name: 'admin', email: USERS.admin, roles: ['ADMIN'] },
]
const files = listRouteFiles()
/** Routes that answer with a never-ending stream (Server-Sent Events): only their status is read. */
const STREAMING = new Set(['/api/events'])
const urlOf = (pattern: string) => pattern.replace(/\[[^\]]+\]/g, FAKE_ID)

async function signedInRequest(browser: Browser, baseURL: string, email?: string): Promise<APIRequestContext> {
  const context = await browser.newContext({ baseURL })
  if (email) {
    const page = await context.newPage()
    await page.goto('/sign-in')
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page).not.toHaveURL(/sign-in/)
  }
  return context.request
}

/** The status of a streaming response, read with the context's cookies, without waiting for the body. */
async function streamStatus(request: APIRequestContext, url: string): Promise<number> {
  const { cookies } = await request.storageState()
  const abort = new AbortController()
  const res = await fetch(url, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') }, signal: abort.signal })
  abort.abort()
  return res.status
}

test('every route file has an entry in the permission table', () => {
  for (const f of files) {
    if (f.kind === 'page') expect(PAGE_ROUTES[f.pattern], f.file).toBeDefined()
    else for (const m of f.methods) expect(apiAccess(f.pattern, m), `${m} ${f.file}`).toBeDefined()
  }
  expect(Object.keys(API_ROUTES).length).toBeGreaterThan(0)
})

for (const role of ROLES) {
  test(`role matrix: ${role.name}`, async ({ browser, baseURL }) => {
    const request = await signedInRequest(browser, baseURL!, role.email)
    const checked: string[] = []
    for (const f of files.filter((x) => x.kind === 'page')) {
      const access = PAGE_ROUTES[f.pattern]!
      if (access === 'public' || access === 'sender') continue
      const res = await request.get(urlOf(f.pattern), { maxRedirects: 0 })
      const location = res.headers()['location'] ?? ''
      if (expectedOutcome(access, role.roles) === 'denied') {
        expect([302, 303, 307], `${f.pattern} should redirect`).toContain(res.status())
        expect(location, f.pattern).toMatch(role.roles === null ? /\/sign-in/ : /\/no-access$/)
      } else {
        expect(location, f.pattern).not.toMatch(/sign-in/)
        expect(f.pattern.includes('[') ? [200, 404] : [200], `${f.pattern} → ${res.status()}`).toContain(res.status())
      }
      checked.push(`page ${f.pattern}`)
    }
    // State-changing calls last, sign-out-everywhere at the very end (it ends this session).
    const apiCalls = files
      .filter((x) => x.kind === 'route')
      .flatMap((f) => f.methods.map((m) => ({ f, m, access: apiAccess(f.pattern, m)! })))
      .filter((c) => c.access !== 'public' && c.access !== 'sender')
      .sort((a, b) => Number(a.f.pattern.includes('sign-out')) - Number(b.f.pattern.includes('sign-out')) || Number(a.m !== 'GET') - Number(b.m !== 'GET'))
    for (const { f, m, access } of apiCalls) {
      if (STREAMING.has(f.pattern)) {
        const status = await streamStatus(request, baseURL! + urlOf(f.pattern))
        if (expectedOutcome(access, role.roles) === 'denied') expect(status, f.pattern).toBe(role.roles === null ? 401 : 403)
        else expect(status, f.pattern).toBe(200)
        checked.push(`${m} ${f.pattern}`)
        continue
      }
      const res = await request.fetch(urlOf(f.pattern), { method: m, headers: { origin: baseURL!, 'content-type': 'application/json' }, data: m === 'GET' ? undefined : '{}', maxRedirects: 0 })
      const label = `${m} ${f.pattern} → ${res.status()}`
      if (expectedOutcome(access, role.roles) === 'denied') {
        expect(res.status(), label).toBe(role.roles === null ? 401 : 403)
        expect(Object.keys(await res.json()).sort(), label).toEqual(['error', 'message'])
      } else {
        expect([401, 403], label).not.toContain(res.status())
        expect(res.status(), label).toBeLessThan(500)
      }
      checked.push(`${m} ${f.pattern}`)
    }
    expect(checked.length).toBeGreaterThan(10)
  })
}
