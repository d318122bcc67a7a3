/** Build requests for /fhir route handlers in integration tests. */
import fs from 'node:fs'
import path from 'node:path'

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../bars/__fixtures__/examples', name), 'utf8')) as T
}

export function target(value = '111111111', system = 'https://fhir.nhs.uk/Id/dos-service-id'): string {
  return Buffer.from(JSON.stringify({ system, value })).toString('base64')
}

export interface TReqOpts {
  method?: string
  body?: unknown
  rawBody?: string
  requestId?: string | null
  correlationId?: string | null
  headers?: Record<string, string>
  path?: string
}

export function fhirRequest(opts: TReqOpts = {}): Request {
  const headers = new Headers({
    'content-type': 'application/fhir+json',
    accept: 'application/fhir+json; version=1.0.0',
    'nhsd-target-identifier': target(),
  })
  if (opts.requestId !== null) headers.set('x-request-id', opts.requestId ?? crypto.randomUUID())
  if (opts.correlationId !== null) headers.set('x-correlation-id', opts.correlationId ?? crypto.randomUUID())
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers.set(k, v)
  const method = opts.method ?? (opts.body !== undefined || opts.rawBody !== undefined ? 'POST' : 'GET')
  const body = opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined)
  return new Request(`http://localhost:3000${opts.path ?? '/fhir/$process-message'}`, { method, headers, body })
}

export async function readJson(res: Response): Promise<Record<string, any>> {
  return (await res.json()) as Record<string, any>
}

/** The REC_ code and issue code of an OperationOutcome response body. */
export function outcomeCodes(body: Record<string, any>): { rec?: string; issue?: string } {
  return { rec: body.issue?.[0]?.details?.coding?.[0]?.code, issue: body.issue?.[0]?.code }
}
