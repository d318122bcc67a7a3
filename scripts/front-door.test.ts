import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { buildOperationOutcome } from '@/lib/bars/operation-outcome'
import { ERROR_KINDS } from '@/lib/errors/app-error'
import { frontDoor, shedOutcome } from './front-door.mjs'

const servers: http.Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

/** A real node:http server with the front door in front of a handler that holds every request until released. */
async function serve(max: number) {
  const waiting: (() => void)[] = []
  let handled = 0
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handled++
    req.resume()
    waiting.push(() => res.end('{"resourceType":"Bundle"}'))
  }
  const server = http.createServer(frontDoor({ max, handle }))
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, waiting, handled: () => handled }
}

const body = JSON.stringify({ resourceType: 'Bundle', padding: 'x'.repeat(20_000) })
const post = (url: string, path = '/fhir/$process-message', ids = { 'x-request-id': crypto.randomUUID(), 'x-correlation-id': crypto.randomUUID() }) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/fhir+json', ...ids }, body })

describe('front door (scripts/front-door.mjs)', () => {
  it('60 messages at once with room for 8: 8 reach the app, 52 get 503 REC_UNAVAILABLE with Retry-After and both ids; then places free up', async () => {
    const s = await serve(8)
    const sent = Array.from({ length: 60 }, () => ({ 'x-request-id': crypto.randomUUID(), 'x-correlation-id': crypto.randomUUID() }))
    const answers = sent.map((ids) => post(s.url, '/fhir/$process-message', ids))
    // The 52 refusals come back while the 8 are still held.
    const settled = await Promise.all(answers.map((p) => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), 2000))])))
    const refused = settled.filter((r): r is Response => r !== null)
    expect(refused).toHaveLength(52)
    expect(s.handled()).toBe(8)
    for (const r of refused) {
      expect(r.status).toBe(503)
      expect(r.headers.get('retry-after')).toBe('1')
      const i = sent.findIndex((ids) => ids['x-request-id'] === r.headers.get('x-request-id'))
      expect(i).toBeGreaterThanOrEqual(0)
      expect(r.headers.get('x-correlation-id')).toBe(sent[i]!['x-correlation-id'])
      const outcome = await r.json()
      expect(outcome.issue[0].details.coding[0].code).toBe('REC_UNAVAILABLE')
    }
    for (const release of s.waiting.splice(0)) release()
    expect((await Promise.all(answers.slice(0, 60))).filter((r) => r.status === 200)).toHaveLength(8)
    // Every place was given back: the next 8 are all let in.
    const next = Array.from({ length: 8 }, () => post(s.url))
    await new Promise((r) => setTimeout(r, 200))
    expect(s.handled()).toBe(16)
    for (const release of s.waiting.splice(0)) release()
    expect((await Promise.all(next)).every((r) => r.status === 200)).toBe(true)
  })

  it('passes everything else through unbounded: other paths and methods, and %24process-message counts as the operation', async () => {
    const s = await serve(0)
    const other = post(s.url, '/fhir/Slot')
    const encoded = await post(s.url, '/fhir/%24process-message')
    expect(encoded.status).toBe(503)
    await new Promise((r) => setTimeout(r, 100))
    expect(s.handled()).toBe(1)
    for (const release of s.waiting.splice(0)) release()
    expect((await other).status).toBe(200)
  })

  it('never echoes an id that is not a plain token', async () => {
    const s = await serve(0)
    const r = await post(s.url, '/fhir/$process-message', { 'x-request-id': 'a b<script>', 'x-correlation-id': 'x'.repeat(65) })
    expect(r.status).toBe(503)
    expect(r.headers.get('x-request-id')).toBeNull()
    expect(r.headers.get('x-correlation-id')).toBeNull()
  })

  it('sends exactly the OperationOutcome lib/bars/operation-outcome.ts builds for 503 REC_UNAVAILABLE', () => {
    const k = ERROR_KINDS.unavailable
    expect(shedOutcome('fixed-id')).toEqual(
      buildOperationOutcome({ ...k, diagnostics: 'The receiver is at capacity; retry after the time in Retry-After.' }, 'fixed-id'),
    )
  })
})
