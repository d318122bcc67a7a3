import { z } from 'zod'
import { AppError } from '@/lib/errors/app-error'
import { isDosServiceSystem, SYSTEMS } from './identifiers'

/** Reads one request header (case-insensitive), as Headers.get does. */
export type THeaderGetter = (name: string) => string | null

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string | null | undefined): value is string {
  return !!value && UUID.test(value)
}

/** X-Request-Id / X-Correlation-Id: both required UUIDs (spec §3.1, §7) — else 400 invalid. */
export function readTransactionIds(get: THeaderGetter): { requestId: string; correlationId: string } {
  const requestId = get('x-request-id')?.trim()
  const correlationId = get('x-correlation-id')?.trim()
  if (!requestId) throw new AppError('invalid', 'X-Request-Id header is missing; it must be a UUID.')
  if (!isUuid(requestId)) throw new AppError('invalid', 'X-Request-Id header is not a UUID.')
  if (!correlationId) throw new AppError('invalid', 'X-Correlation-Id header is missing; it must be a UUID.')
  if (!isUuid(correlationId)) throw new AppError('invalid', 'X-Correlation-Id header is not a UUID.')
  return { requestId: requestId.toLowerCase(), correlationId: correlationId.toLowerCase() }
}

/** The ids as given, for echoing on an error response even when they are not valid UUIDs. */
export function rawTransactionIds(get: THeaderGetter): { requestId?: string; correlationId?: string } {
  const clean = (v: string | null) => (v && v.length <= 200 && /^[\x21-\x7e]+$/.test(v.trim()) ? v.trim() : undefined)
  return { requestId: clean(get('x-request-id')), correlationId: clean(get('x-correlation-id')) }
}

function decodeBase64Json(value: string): unknown {
  const text = Buffer.from(value.trim(), 'base64').toString('utf8')
  return JSON.parse(text)
}

/** The decoded NHSD-Target-Identifier: {"system"?, "value"} — value a printable identifier (it is looked up in the database). */
const ZTargetIdentifier = z.looseObject({
  system: z
    .string()
    .trim()
    .regex(/^\S{0,256}$/)
    .optional(),
  value: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{1,64}$/),
})

export interface TTargetIdentifier {
  system: string
  value: string
  /** True when the system is a DoS service id in any of its spellings. */
  isDos: boolean
}

/**
 * NHSD-Target-Identifier: base64 of {"system","value"}. The proxy has normally checked it already;
 * a bad one is the sender's mistake (400 value), a missing one 400 required.
 */
export function decodeTargetIdentifier(header: string | null): TTargetIdentifier {
  if (!header?.trim()) throw new AppError('required', 'NHSD-Target-Identifier header is missing.')
  let parsed: unknown
  try {
    parsed = decodeBase64Json(header)
  } catch {
    throw new AppError('value', 'NHSD-Target-Identifier is not base64-encoded JSON.')
  }
  const r = ZTargetIdentifier.safeParse(parsed)
  if (!r.success) {
    const field = r.error.issues[0]?.path[0]
    throw new AppError('value', field === 'system' ? 'NHSD-Target-Identifier.system is not a uri.' : 'NHSD-Target-Identifier has no valid value (an identifier of at most 64 printable characters).')
  }
  const system = r.data.system ?? SYSTEMS.dosServiceId
  return { system, value: r.data.value, isDos: isDosServiceSystem(system) }
}

export interface TOrganisationHeader {
  odsCode?: string
  name?: string
}
export interface TSoftwareHeader {
  id?: string
  name?: string
  version?: string
}
export interface TPractitionerHeader {
  sdsRoleProfileId?: string
  roleCode?: string
  name?: string
}
export interface TNhsdHeaders {
  endUserOrganisation?: TOrganisationHeader
  requestingSoftware?: TSoftwareHeader
  requestingPractitioner?: TPractitionerHeader
  /** Headers that were present but could not be decoded (kept for audit, never fatal). */
  undecodable: string[]
}

type Json = Record<string, unknown>
/** Header text we keep (audit, rate-limit keys): trimmed, printable, at most 200 characters — else dropped. */
const ZHeaderText = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v) && v.isWellFormed())
const ZJsonObject = z.record(z.string(), z.unknown())
const str = (v: unknown): string | undefined => {
  const r = ZHeaderText.safeParse(v)
  return r.success ? r.data : undefined
}
const obj = (v: unknown): Json | undefined => {
  const r = ZJsonObject.safeParse(v)
  return r.success && !Array.isArray(v) ? r.data : undefined
}
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.flatMap((x): Json[] => { const o = obj(x); return o ? [o] : [] }) : [])

function firstIdentifierValue(obj: Json, systemHint?: RegExp): string | undefined {
  const ids = arr(obj.identifier)
  const hit = systemHint ? ids.find((i) => systemHint.test(String(i.system ?? ''))) : undefined
  return str((hit ?? ids[0])?.value)
}

/**
 * Decode the three NHSD-* audit headers tolerantly (open question A3): shapes vary between
 * suppliers (deviceName as string or object, missing identifiers…); what cannot be read is noted,
 * never rejected.
 */
export function decodeNhsdHeaders(get: THeaderGetter): TNhsdHeaders {
  const out: TNhsdHeaders = { undecodable: [] }
  const read = (name: string): Json | undefined => {
    const raw = get(name)
    if (!raw?.trim()) return undefined
    try {
      const v = obj(decodeBase64Json(raw))
      if (v) return v
    } catch {
      /* fall through */
    }
    out.undecodable.push(name)
    return undefined
  }

  const org = read('nhsd-end-user-organisation')
  if (org) out.endUserOrganisation = { odsCode: firstIdentifierValue(org, /ods/i), name: str(org.name) }

  const dev = read('nhsd-requesting-software')
  if (dev) {
    const deviceName = Array.isArray(dev.deviceName) ? dev.deviceName[0] : dev.deviceName
    const name = str(deviceName) ?? str(obj(deviceName)?.name)
    const version = Array.isArray(dev.version) ? str(obj(dev.version[0])?.value) : (str(obj(dev.version)?.value) ?? str(dev.version))
    out.requestingSoftware = { id: firstIdentifierValue(dev), name, version }
  }

  const pr = read('nhsd-requesting-practitioner')
  if (pr) {
    const code = arr(pr.code)[0]
    out.requestingPractitioner = {
      sdsRoleProfileId: firstIdentifierValue(pr, /sds/i),
      roleCode: str(arr(code?.coding)[0]?.code),
      name: str(obj(pr.practitioner)?.display),
    }
  }
  return out
}

/** Major versions of the BaRS API/Core we serve. */
export const SUPPORTED_MAJOR_VERSIONS = [1]

/**
 * Accept: application/fhir+json; version=X.Y.Z (open question A2): missing version = 1.0.0; only
 * the major is compared; spaces and case are forgiven; `*\/*`, application/json and a missing
 * header are fine. A major we do not serve → 406.
 */
export function checkAccept(accept: string | null): { version: string } {
  if (!accept?.trim()) return { version: '1.0.0' }
  let best: string | undefined
  let jsonAcceptable = false
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim())
    const t = type.toLowerCase()
    if (['application/fhir+json', 'application/json', '*/*', 'application/*', ''].includes(t)) jsonAcceptable = true
    for (const p of params) {
      const m = /^version\s*=\s*"?([0-9]+(?:\.[0-9]+){0,2}[^"]*)"?$/i.exec(p)
      if (m && (!best || compareSemver(m[1]!, best) > 0)) best = m[1]!
    }
  }
  if (!jsonAcceptable) throw new AppError('not-acceptable', 'Accept must allow application/fhir+json.')
  const version = best ?? '1.0.0'
  const major = Number(version.split('.')[0])
  if (!SUPPORTED_MAJOR_VERSIONS.includes(major)) {
    throw new AppError('not-acceptable', `API version ${version} is not supported; this receiver serves major version ${SUPPORTED_MAJOR_VERSIONS.join(', ')}.`)
  }
  return { version }
}

/** Compare SemVer strings (pre-release sorts before its release; SemVer 2.0.0 §11 precedence; build metadata ignored). */
export function compareSemver(a: string, b: string): number {
  const parse = (v: string) => {
    const noBuild = v.trim().split('+', 1)[0]!
    const dash = noBuild.indexOf('-')
    const core = dash < 0 ? noBuild : noBuild.slice(0, dash)
    const pre = dash < 0 ? undefined : noBuild.slice(dash + 1)
    const nums = core.split('.').map((n) => Number.parseInt(n, 10) || 0)
    return { nums: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], pre }
  }
  const x = parse(a)
  const y = parse(b)
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i]! - y.nums[i]!
  if (x.pre && !y.pre) return -1
  if (!x.pre && y.pre) return 1
  return comparePreRelease(x.pre ?? '', y.pre ?? '')
}

/** Dot-separated identifiers: numeric ones compare numerically and sort before alphanumeric ones; a shorter prefix sorts first. */
function comparePreRelease(a: string, b: string): number {
  const xs = a.split('.')
  const ys = b.split('.')
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const x = xs[i]!
    const y = ys[i]!
    const xNum = /^\d+$/.test(x)
    const yNum = /^\d+$/.test(y)
    if (xNum && yNum) {
      if (Number(x) !== Number(y)) return Number(x) - Number(y)
    } else if (xNum !== yNum) {
      return xNum ? -1 : 1
    } else if (x !== y) {
      return x < y ? -1 : 1
    }
  }
  return xs.length - ys.length
}
