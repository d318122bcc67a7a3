import type { z } from 'zod'
import { AppError } from '@/lib/errors/app-error'

/** A zod path as FHIRPath from `root`: ['entry', 2, 'resource', 'name'] → `Bundle.entry[2].resource.name`. */
export function fhirPath(root: string, path: readonly PropertyKey[]): string {
  let out = root
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`
  return out
}

const JSON_TYPE = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined
  return v
}

/**
 * Parse `value` with `schema`, or throw the first problem as a 400 AppError naming the element:
 * a wrong JSON type (or a list where one value belongs, or the reverse) is `structure`, a bad
 * value (format, impossible date, too long) is `value`. Messages name types, never content, so
 * no patient data reaches the sender or the logs.
 */
export function parseFhir<T extends z.ZodType>(schema: T, value: unknown, root: string): z.output<T> {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]!
  const path = fhirPath(root, issue.path)
  if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
    const got = JSON_TYPE(at(value, issue.path))
    const wanted = issue.code === 'invalid_type' ? issue.expected : 'another type'
    if (got === 'undefined') throw new AppError('required', `${path} is required.`, { expression: path })
    throw new AppError('structure', `${path} must be ${wanted === 'array' ? 'a list' : `a ${wanted}`} (was ${got === 'array' ? 'a list' : got}).`, { expression: path })
  }
  throw new AppError('value', `${path} ${issue.message}.`, { expression: path })
}
