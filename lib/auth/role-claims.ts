import { isRole, type TRole } from './permissions'

/**
 * Mapping an identity provider's role claims to our roles (OIDC sign-in, e.g. NHS CIS2, whose
 * userinfo carries nhsid_nrbac_roles[].role_code such as "S8000:G8000:R8000"). Pure.
 */

/** "S8000:G8000:R8000=CLINICIAN, R8001=RECEPTIONIST|ADMIN" → claim value → roles. */
export function parseRoleMap(text: string): Map<string, TRole[]> {
  const map = new Map<string, TRole[]>()
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.lastIndexOf('=')
    if (eq <= 0) throw new Error(`OIDC_ROLE_MAP entry "${pair}" is not claim=ROLE.`)
    const claim = pair.slice(0, eq).trim()
    const roles = pair
      .slice(eq + 1)
      .split('|')
      .map((r) => r.trim().toUpperCase())
    for (const r of roles) if (!isRole(r)) throw new Error(`OIDC_ROLE_MAP entry "${pair}" names an unknown role ${r}.`)
    map.set(claim, [...new Set([...(map.get(claim) ?? []), ...(roles as TRole[])])])
  }
  return map
}

/** Every string at a dotted path, walking through arrays: "a.b" on {a:[{b:"x"},{b:["y"]}]} → x, y. */
export function claimValues(source: unknown, path: string): string[] {
  let current: unknown[] = [source]
  for (const key of path.split('.').filter(Boolean)) {
    current = current
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
      .map((v) => v[key])
      .filter((v) => v !== undefined && v !== null)
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is string => typeof v === 'string')
}

/** Our roles for a profile; a claim value also matches a mapping for its last ":"-part (the CIS2 role code Rxxxx). */
export function rolesFromClaims(profile: unknown, claimPath: string, map: Map<string, TRole[]>): TRole[] {
  const roles = new Set<TRole>()
  for (const value of claimValues(profile, claimPath)) {
    const lastPart = value.split(':').pop() ?? value
    for (const r of [...(map.get(value) ?? []), ...(map.get(lastPart) ?? [])]) roles.add(r)
  }
  return [...roles].sort()
}
