// `npm run simulate`: a stand-in 111 system on this machine. It sends the NHS example referral
// (fresh copies of REFREQ01) to our $process-message, and receives our responses on its own
// $process-message — answering 200 (or 409 duplicate for a repeated X-Request-Id), and recording
// what it got — so the whole loop runs on one machine.
//   --port 4111            where it listens (the demo sender's responseBaseUrl is http://127.0.0.1:4111/fhir)
//   --target URL           our FHIR base (default http://127.0.0.1:3000/fhir)
//   --send N               referrals to send on start (default 3); --listen-only sends none
//   --pharmacy [DOS]       also act as a GP practice (App 5): send two fresh REFREQ03 referrals to the
//                          community pharmacy (default 666666666) and cancel the second
//   --mode 999             a 999 requester (App 3/4) instead: sends VALREQ01, VALREQ03 and REFREQ02 to the CAS
//                          (--dos, default 555555555), then VALREQ02 (update) and SERVREQ02 (cancel), and checks every
//                          interim / full validation response it receives against its national MessageDefinition
// Test hooks: GET /received (what arrived), DELETE /received, POST /control {"failWith":503|null}.
import http from 'node:http'
import type { Bundle } from '@medplum/fhirtypes'
import { parseMessage } from '@/lib/bars/message'
import { checkConformance, definitionFor, MESSAGE_DEFINITION_URLS } from '@/lib/bars/message-definitions'

export interface TReceived {
  at: string
  path: string
  headers: Record<string, string>
  body: unknown
  /** For App 4 validation responses: 'conformant', or why not (checked against the national MessageDefinition). */
  conformance?: string
}

// ---- 999 requester (App 3/4): what it checks on the responses it receives ----------------------

const VALIDATION_RESPONSES: readonly string[] = [MESSAGE_DEFINITION_URLS.validationResponseInterim, MESSAGE_DEFINITION_URLS.validationResponseFull]

/** 'conformant', the reason it is not, or undefined when the message is not an App 4 validation response. */
export function checkValidationResponse(body: unknown): string | undefined {
  try {
    const msg = parseMessage(body)
    if (!msg.definition || !VALIDATION_RESPONSES.includes(msg.definition)) return undefined
    checkConformance(msg, definitionFor(msg.definition)!)
    return 'conformant'
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}

export interface TSimulator {
  url: string
  received: TReceived[]
  /** Answer every $process-message with this status (null: back to normal). */
  setFailure(status: number | null): void
  duplicates(): number
  close(): Promise<void>
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers })
  res.end(JSON.stringify(body))
}

const outcome = (code: string, text: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] })

export async function startSimulator(opts: { port: number; host?: string; log?: (line: string) => void }): Promise<TSimulator> {
  const received: TReceived[] = []
  const seen = new Set<string>()
  let duplicates = 0
  let failWith: number | null = null
  const say = opts.log ?? (() => {})

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator')
    try {
      if (req.method === 'GET' && url.pathname === '/received') return send(res, 200, { received, duplicates })
      if (req.method === 'DELETE' && url.pathname === '/received') {
        received.length = 0
        duplicates = 0
        return send(res, 200, { ok: true })
      }
      if (req.method === 'POST' && url.pathname === '/control') {
        const body = JSON.parse((await readBody(req)) || '{}') as { failWith?: number | null }
        failWith = typeof body.failWith === 'number' ? body.failWith : null
        return send(res, 200, { failWith })
      }
      if (req.method === 'POST' && /\/(\$|%24)process-message$/.test(url.pathname)) {
        const ids = { 'x-request-id': String(req.headers['x-request-id'] ?? ''), 'x-correlation-id': String(req.headers['x-correlation-id'] ?? '') }
        const text = await readBody(req)
        if (failWith) return send(res, failWith, outcome('transient', 'simulated failure'), ids)
        if (!ids['x-request-id'] || !ids['x-correlation-id']) return send(res, 400, outcome('invalid', 'X-Request-Id and X-Correlation-Id are required'), ids)
        const key = `${ids['x-request-id']}|${ids['x-correlation-id']}`
        if (seen.has(key)) {
          duplicates++
          return send(res, 409, outcome('duplicate', 'already processed'), ids)
        }
        let body: unknown
        try {
          body = JSON.parse(text)
        } catch {
          return send(res, 400, outcome('structure', 'body is not JSON'), ids)
        }
        seen.add(key)
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]))
        const conformance = checkValidationResponse(body)
        received.push({ at: new Date().toISOString(), path: url.pathname, headers, body, ...(conformance ? { conformance } : {}) })
        const focus = (body as { entry?: { resource?: { resourceType?: string; focus?: { reference?: string }[] } }[] }).entry?.[0]?.resource
        say(`received ${focus?.resourceType ?? 'message'} (X-Request-Id ${ids['x-request-id']})${conformance ? `: ${conformance}` : ''}`)
        // A requester answers a response that breaks its MessageDefinition with 400 invariant (A4.53).
        if (conformance && conformance !== 'conformant') return send(res, 400, outcome('invariant', conformance), ids)
        return send(res, 200, body, ids)
      }
      send(res, 404, outcome('not-found', 'unknown path'))
    } catch {
      send(res, 500, outcome('exception', 'simulator error'))
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve())
  })
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${opts.port}/fhir`,
    received,
    setFailure: (status) => {
      failWith = status
    },
    duplicates: () => duplicates,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64')

/** POST one message to our $process-message as a sender would through the proxy, with the BaRS headers. */
async function postMessage(opts: { target: string; dosServiceId: string; bundle: unknown; correlationId: string; org: { ods: string; name: string }; software?: { id: string; name: string } }): Promise<Response> {
  return fetch(`${opts.target.replace(/\/$/, '')}/$process-message`, {
    method: 'POST',
    headers: {
      'content-type': 'application/fhir+json',
      accept: 'application/fhir+json; version=1.0.0',
      'x-request-id': crypto.randomUUID(),
      'x-correlation-id': opts.correlationId,
      'nhsd-target-identifier': b64({ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: opts.dosServiceId }),
      'nhsd-end-user-organisation': b64({ resourceType: 'Organization', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: opts.org.ods }], name: opts.org.name }),
      ...(opts.software
        ? { 'nhsd-requesting-software': b64({ resourceType: 'Device', identifier: [{ system: 'https://example.org/software', value: opts.software.id }], deviceName: [{ name: opts.software.name, type: 'manufacturer-name' }] }) }
        : {}),
    },
    body: JSON.stringify(opts.bundle),
  })
}

async function sendExamples(target: string, count: number, dosServiceId: string) {
  const { freshReferral } = await import('@/lib/demo/demo-referrals')
  const people = [
    { given: 'Julie', family: 'Jones', nhsNumber: '9449305552', deadlineMinutes: 20 },
    { given: 'Amir', family: 'Khan', nhsNumber: '9449306060', deadlineMinutes: 50, safeguarding: false },
    { given: 'Grace', family: 'Okafor', nhsNumber: null, deadlineMinutes: 120, safeguarding: false },
  ]
  for (let i = 0; i < count; i++) {
    const bundle = freshReferral({ now: new Date(), ...people[i % people.length]! })
    const res = await postMessage({ target, dosServiceId, bundle, correlationId: crypto.randomUUID(), org: { ods: 'X111', name: 'NHS 111 simulator' }, software: { id: 'bars-111-simulator', name: 'BaRS 111 simulator' } })
    console.log(`[simulator] sent referral ${i + 1}/${count}: HTTP ${res.status}`)
  }
}

/**
 * App 5 (GP → Community Pharmacy): fresh copies of REFREQ03 (with the FLA02/FLA03 reasonable
 * adjustments) to the pharmacy, then a cancellation (SERVREQ01 made a5t1) of the second, naming our
 * ServiceRequest id from the 200 as a sender that read it first would. No response comes back: App 5
 * defines none (apps-3-4-5.md A5.17).
 */
async function sendPharmacyExamples(target: string, dosServiceId: string) {
  const { freshPharmacyCancel, freshPharmacyReferral } = await import('@/lib/bars/pharmacy-examples')
  const post = async (bundle: unknown, correlationId: string) => {
    const res = await postMessage({ target, dosServiceId, bundle, correlationId, org: { ods: 'RND', name: 'GP practice simulator' } })
    const body = (await res.json().catch(() => null)) as { entry?: { resource?: { resourceType?: string; id?: string } }[] } | null
    return { status: res.status, id: body?.entry?.find((e) => e.resource?.resourceType === 'ServiceRequest')?.resource?.id }
  }
  const people = [
    { given: 'Julie', family: 'Jones', nhsNumber: '9449305552' },
    { given: 'Omar', family: 'Haddad', nhsNumber: '9449306060' },
  ]
  const sent: { id?: string; correlationId: string; patient: (typeof people)[number] }[] = []
  for (const [i, patient] of people.entries()) {
    const correlationId = crypto.randomUUID()
    const r = await post(freshPharmacyReferral({ now: new Date(), dosId: dosServiceId, patient, reasonableAdjustments: i === 0 }), correlationId)
    console.log(`[simulator] sent pharmacy referral (REFREQ03) ${i + 1}/${people.length} to ${dosServiceId}: HTTP ${r.status}`)
    sent.push({ id: r.id, correlationId, patient })
  }
  const last = sent.at(-1)
  if (last?.id) {
    const r = await post(freshPharmacyCancel({ now: new Date(), dosId: dosServiceId, serviceRequestId: last.id, patient: last.patient }), last.correlationId)
    console.log(`[simulator] cancelled pharmacy referral 2/${people.length}: HTTP ${r.status}`)
  }
}

/**
 * The 999 requester: new validation requests (VALREQ01 Pathways C3, VALREQ03 AMPDS C4) and a 999 →
 * CAS referral (REFREQ02), then an update of the first (VALREQ02, lower priority) and a cancellation
 * of the second (SERVREQ02). Prints each HTTP status; our interim/full responses come back to the listener.
 */
async function send999Examples(target: string, dosServiceId: string, sourceDosId: string) {
  const { freshCasMessage } = await import('@/lib/demo/demo-validations')
  const post = async (label: string, bundle: Bundle, correlationId: string) => {
    const header = bundle.entry?.[0]?.resource
    if (header?.resourceType === 'MessageHeader' && header.source) header.source.endpoint = `https://fhir.nhs.uk/Id/dos-service-id|${sourceDosId}`
    const res = await postMessage({ target, dosServiceId, bundle, correlationId, org: { ods: 'RX9', name: '999 simulator' }, software: { id: 'bars-999-simulator', name: 'BaRS 999 simulator' } })
    console.log(`[simulator] sent ${label}: HTTP ${res.status}`)
    return res.status
  }
  const now = () => new Date()
  const first = crypto.randomUUID()
  const second = crypto.randomUUID()
  await post('VALREQ01 (new validation, C3)', freshCasMessage('VALREQ01', { now: now(), destination: dosServiceId, breachMinutes: 20 }), first)
  await post('VALREQ03 (new validation, AMPDS C4)', freshCasMessage('VALREQ03', { now: now(), destination: dosServiceId, breachMinutes: 30, given: 'Sam', family: 'Patel' }), second)
  await post('REFREQ02 (999 to CAS referral)', freshCasMessage('REFREQ02', { now: now(), destination: dosServiceId, breachMinutes: 20 }), crypto.randomUUID())
  await post('VALREQ02 (update of VALREQ01: lower priority)', freshCasMessage('VALREQ02', { now: now(), destination: dosServiceId, breachMinutes: 45 }), first)
  await post('SERVREQ02 (cancel VALREQ03: entered in error)', freshCasMessage('SERVREQ02', { now: now(), destination: dosServiceId }), second)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const val = (name: string) => {
    const i = process.argv.indexOf(`--${name}`)
    return i >= 0 ? process.argv[i + 1] : undefined
  }
  const port = Number(val('port') ?? 4111)
  const sim = await startSimulator({ port, log: (l) => console.log(`[simulator] ${l}`) })
  console.log(`[simulator] 111 stand-in listening on ${sim.url}/$process-message`)
  if (val('mode') === '999') {
    console.log('[simulator] 999 requester mode: validation responses are checked against their MessageDefinitions')
    if (!process.argv.includes('--listen-only')) {
      await send999Examples(val('target') ?? 'http://127.0.0.1:3000/fhir', val('dos') ?? '555555555', val('source') ?? '2222222222').catch((e: unknown) =>
        console.error(`[simulator] could not send: ${e instanceof Error ? e.message : e}`),
      )
    }
  } else if (!process.argv.includes('--listen-only')) {
    await sendExamples(val('target') ?? 'http://127.0.0.1:3000/fhir', Number(val('send') ?? 3), val('dos') ?? '111111111').catch((e: unknown) =>
      console.error(`[simulator] could not send: ${e instanceof Error ? e.message : e}`),
    )
  }
  if (process.argv.includes('--pharmacy')) {
    const dos = val('pharmacy')
    await sendPharmacyExamples(val('target') ?? 'http://127.0.0.1:3000/fhir', dos && !dos.startsWith('--') ? dos : '666666666').catch((e: unknown) =>
      console.error(`[simulator] could not send to the pharmacy: ${e instanceof Error ? e.message : e}`),
    )
  }
  const stop = () => void sim.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
