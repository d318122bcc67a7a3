import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROLES } from './permissions'
import { exportedMethods, listRouteFiles } from './route-files'
import { API_ROUTES, apiAccess, expectedOutcome, PAGE_ROUTES, routePatternOf } from './route-permissions'

describe('route permission table', () => {
  const files = listRouteFiles()

  it('finds the route files of the app', () => {
    expect(files.map((f) => f.pattern)).toEqual(expect.arrayContaining(['/inbox', '/referrals/[id]', '/sign-in', '/fhir/process-message', '/api/auth/[...nextauth]']))
  })

  it('has an entry for every page under app/', () => {
    const missing = files.filter((f) => f.kind === 'page' && PAGE_ROUTES[f.pattern] === undefined).map((f) => f.file)
    expect(missing).toEqual([])
  })

  it('has an entry for every method of every API route under app/', () => {
    const missing = files
      .filter((f) => f.kind === 'route')
      .flatMap((f) => (f.methods.length ? f.methods : (['GET'] as const)).filter((m) => apiAccess(f.pattern, m) === undefined).map((m) => `${m} ${f.file}`))
    expect(missing).toEqual([])
  })

  it('says what the code enforces: each apiRoute permission and each page permission equals the table', () => {
    const drift: string[] = []
    let checked = 0
    for (const f of files) {
      const source = fs.readFileSync(path.join(process.cwd(), f.file), 'utf8')
      if (f.kind === 'page') {
        const declared = /requirePagePermission\('([a-z:]+)'\)/.exec(source)?.[1]
        if (declared) checked++
        if (declared && PAGE_ROUTES[f.pattern] !== declared) drift.push(`${f.file}: page checks ${declared}, table says ${String(PAGE_ROUTES[f.pattern])}`)
        continue
      }
      for (const m of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = apiRoute\(\{\s*permission: '([a-z:-]+)'/g)) {
        checked++
        const table = apiAccess(f.pattern, m[1] as 'GET')
        if (table !== m[2]) drift.push(`${m[1]} ${f.file}: route checks ${m[2]}, table says ${String(table)}`)
      }
    }
    expect(drift).toEqual([])
    expect(checked).toBeGreaterThan(40) // the patterns above really find the declarations
  })

  it('routes under /fhir are sender routes and nothing else is', () => {
    for (const [pattern, access] of Object.entries(API_ROUTES)) {
      const values = typeof access === 'string' ? [access] : Object.values(access)
      expect(values.every((v) => v === 'sender'), pattern).toBe(pattern.startsWith('/fhir/'))
    }
    expect(Object.values(PAGE_ROUTES)).not.toContain('sender')
  })

  it('staff API routes each list their methods (no blanket entry outside next-auth and /fhir)', () => {
    for (const [pattern, access] of Object.entries(API_ROUTES)) {
      if (pattern.startsWith('/fhir/') || pattern === '/api/auth/[...nextauth]') continue
      expect(typeof access, pattern).toBe('object')
    }
  })

  it('only the sign-in screens and next-auth are public', () => {
    expect(Object.entries(PAGE_ROUTES).filter(([, a]) => a === 'public').map(([p]) => p)).toEqual(['/', '/sign-in'])
    expect(Object.entries(API_ROUTES).filter(([, a]) => a === 'public').map(([p]) => p)).toEqual(['/api/auth/[...nextauth]'])
  })

  it('every admin screen is denied to clinicians and receptionists and allowed to admins', () => {
    for (const [pattern, access] of Object.entries(PAGE_ROUTES).filter(([p]) => p.startsWith('/admin'))) {
      expect(expectedOutcome(access, ['CLINICIAN']), pattern).toBe('denied')
      expect(expectedOutcome(access, ['RECEPTIONIST']), pattern).toBe('denied')
      expect(expectedOutcome(access, ['ADMIN']), pattern).toBe('allowed')
    }
  })

  it('no staff route is open to a visitor without a session', () => {
    for (const access of [...Object.values(PAGE_ROUTES), ...Object.values(API_ROUTES).flatMap((a) => (typeof a === 'string' ? [a] : Object.values(a)))]) {
      if (access === 'public' || access === 'sender') continue
      expect(expectedOutcome(access, null)).toBe('denied')
      for (const role of ROLES) expect(['allowed', 'denied']).toContain(expectedOutcome(access, [role]))
    }
  })
})

describe('routePatternOf', () => {
  it('drops app/, route groups and the file name', () => {
    expect(routePatternOf('app/(staff)/referrals/[id]/page.tsx')).toBe('/referrals/[id]')
    expect(routePatternOf('app/page.tsx')).toBe('/')
    expect(routePatternOf('app/api/auth/[...nextauth]/route.ts')).toBe('/api/auth/[...nextauth]')
  })
})

describe('exportedMethods', () => {
  it('reads the three export styles', () => {
    expect(exportedMethods('export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({})')).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
    expect(exportedMethods('export async function GET(req) {}\nexport const POST = route()')).toEqual(['GET', 'POST'])
    expect(exportedMethods('export { handler as GET, handler as POST }')).toEqual(['GET', 'POST'])
    expect(exportedMethods("export const dynamic = 'force-dynamic'")).toEqual([])
  })
})
