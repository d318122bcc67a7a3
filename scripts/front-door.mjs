// The web process's front door (issue 10, "shed load instead of failing"): a bound on the
// `$process-message` requests one instance holds at once, checked on the raw node:http request
// before Next.js routes it. Next's own per-request work costs about three times a bare node:http
// answer, so a burst several times the sustainable rate cannot even be refused inside a route in
// time; here the excess is answered `503 REC_UNAVAILABLE` with `Retry-After` for the cost of a
// few headers, before anything is read or written, and the sender's retry is processed normally.
// Inside the bound, the route's own limiter (lib/http/inflight-limit.ts) still applies.
//
// Plain JavaScript: it runs in the production server process without a TypeScript loader. The
// OperationOutcome it sends is the one lib/bars/operation-outcome.ts builds (front-door.test.ts
// compares them).

const PROCESS_MESSAGE = /^\/fhir\/(\$|%24)?process-message\/?(\?|$)/i
const TRANSACTION_ID = /^[0-9A-Za-z-]{1,64}$/

/** The OperationOutcome of a shed request (buildOperationOutcome's shape for 503 REC_UNAVAILABLE). */
export function shedOutcome(id = crypto.randomUUID()) {
  return {
    resourceType: 'OperationOutcome',
    id,
    meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-OperationOutcome'] },
    issue: [
      {
        severity: 'error',
        code: 'transient',
        details: { coding: [{ system: 'https://fhir.nhs.uk/Codesystem/http-error-codes', code: 'REC_UNAVAILABLE', display: '503 - REC_UNAVAILABLE' }] },
        diagnostics: 'The receiver is at capacity; retry after the time in Retry-After.',
      },
    ],
  }
}

/**
 * A node:http request listener that passes every request to `handle` (Next's request handler),
 * except a `POST $process-message` arriving while `max` of them are already being handled.
 */
export function frontDoor({ max, handle, retryAfterSeconds = 1, onShed = () => {} }) {
  let held = 0
  const listener = (req, res) => {
    if (req.method !== 'POST' || !PROCESS_MESSAGE.test(req.url ?? '')) return handle(req, res)
    if (held >= max) {
      onShed()
      const headers = { 'content-type': 'application/fhir+json; charset=utf-8', 'cache-control': 'no-store', 'retry-after': String(retryAfterSeconds) }
      for (const h of ['x-request-id', 'x-correlation-id']) {
        const v = req.headers[h]
        if (typeof v === 'string' && TRANSACTION_ID.test(v)) headers[h] = v
      }
      res.writeHead(503, headers)
      res.end(JSON.stringify(shedOutcome()))
      req.resume() // discard the unread body; the connection stays usable
      return
    }
    held++
    let done = false
    const release = () => {
      if (done) return
      done = true
      held--
    }
    res.once('finish', release)
    res.once('close', release)
    return handle(req, res)
  }
  listener.held = () => held
  return listener
}
