import fs from 'node:fs'
import path from 'node:path'
import { routePatternOf, type THttpMethod } from './route-permissions'

/**
 * The route files actually in app/ (for the completeness test and the e2e role matrix): pages and
 * API routes by URL pattern, with the HTTP methods each route.ts exports.
 */
export interface TRouteFile {
  file: string
  pattern: string
  kind: 'page' | 'route'
  methods: THttpMethod[]
}

const METHODS: THttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? walk(p) : [p]
  })
}

/** Methods a route.ts exports: `export const { GET, POST } =`, `export async function GET`, `export { h as GET }`. */
export function exportedMethods(source: string): THttpMethod[] {
  const found = new Set<THttpMethod>()
  for (const m of source.matchAll(/export\s+const\s*\{([^}]*)\}/g)) for (const name of m[1]!.split(',')) found.add(name.trim().split(':')[0]!.trim() as THttpMethod)
  for (const m of source.matchAll(/export\s+(?:async\s+)?(?:function|const|let)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) found.add(m[1] as THttpMethod)
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) {
      const alias = part.split(/\s+as\s+/).pop()?.trim()
      if (alias) found.add(alias as THttpMethod)
    }
  }
  return METHODS.filter((x) => found.has(x))
}

export function listRouteFiles(appDir = path.join(process.cwd(), 'app')): TRouteFile[] {
  return walk(appDir)
    .filter((f) => /[/\\](page\.tsx?|route\.tsx?)$/.test(f))
    .map((file) => {
      const kind = /page\.tsx?$/.test(file) ? ('page' as const) : ('route' as const)
      const rel = path.relative(path.dirname(appDir), file)
      return { file: rel, pattern: routePatternOf(rel), kind, methods: kind === 'route' ? exportedMethods(fs.readFileSync(file, 'utf8')) : ['GET' as const] }
    })
    .sort((a, b) => a.pattern.localeCompare(b.pattern))
}
