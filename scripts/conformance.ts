/**
 * BaRS receiver conformance suite, over HTTP, against any running receiver:
 *
 *   npm run conformance -- --base-url http://localhost:3000 [--target 111111111]
 *       [--source 2222222222] [--slot-id <uuid>]… [--pharmacy 666666666|none]
 *
 * It creates everything it needs through the API itself (fresh copies of the real NHS examples with
 * new Bundle ids, random test NHS numbers), replays the scenarios of spec §10 and the error catalogue
 * of §6.2, prints a pass/fail table per requirement and exits non-zero on any failure. It also counts
 * responses >= 500 (must be 0) and responses without both transaction ids echoed (must be 0).
 *
 * Slots to book: --slot-id (repeatable); else the free slots GET /Slot returns for the next two days;
 * else the slot the demo seed creates for BOOKREQ01 (da83ae28-…, tomorrow 10:00 London). Every place
 * the suite takes is given back by a cancellation before it ends.
 *
 * App 5 (GP → Community Pharmacy): the REFREQ03 cases run against --pharmacy (default 666666666,
 * the demo seed's pharmacy; `none` skips them), with --target as the service that must refuse a5t1.
 *
 * Importable: runConformance({ baseUrl, fetch }) is run in-process by scripts/conformance.int.test.ts.
 */
import type { Bundle } from '@medplum/fhirtypes'
import { freshCasMessage, type TCasExample } from '@/lib/demo/demo-validations'
import { EXAMPLE_BOOKED_SLOT_ID, freshBooking, freshBookingCancel, freshReferralCancel, freshReferralMessage, randomNhsNumber } from '@/lib/bars/example-messages'
import { freshPharmacyCancel, freshPharmacyReferral, freshPharmacyUpdate } from '@/lib/bars/pharmacy-examples'

export interface TConformanceOptions {
  /** Receiver base, with or without the trailing /fhir (e.g. http://localhost:3000). */
  baseUrl: string
  fetch?: typeof fetch
  /** Our DoS service id (NHSD-Target-Identifier, MessageHeader.destination). */
  target?: string
  /** A sender the target accepts (MessageHeader.source.endpoint). */
  source?: string
  slotIds?: string[]
  /** A community pharmacy's DoS id for the App 5 cases (default 666666666); 'none' skips them. */
  pharmacy?: string
  /** The CAS to run the App 3/4 scenarios against (default the demo CAS 555555555; null skips them). */
  casTarget?: string | null
}

export interface TCheck {
  requirement: string
  name: string
  passed: boolean
  detail?: string
}

export interface TReport {
  checks: TCheck[]
  responses: number
  serverErrors: number
  missingIds: number
  passed: boolean
}

// The suite probes arbitrary FHIR JSON from another system; typing every probe would hide the check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>
interface TResult {
  status: number
  body: Json
  headers: Headers
}

const DOS = 'https://fhir.nhs.uk/Id/dos-service-id'
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64')
/** JSON with sorted keys: equal for equal documents whatever the key order (PostgreSQL jsonb reorders keys). */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x))
const letters = () => Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')

export async function runConformance(opts: TConformanceOptions): Promise<TReport> {
  const doFetch = opts.fetch ?? fetch
  const base = opts.baseUrl.replace(/\/+$/, '').replace(/(?<!\/fhir)$/, '/fhir')
  const targetId = opts.target ?? '111111111'
  const sourceId = opts.source ?? '2222222222'
  const checks: TCheck[] = []
  let responses = 0
  let serverErrors = 0
  let missingIds = 0
  let requirement = ''

  const check = (name: string, passed: boolean, detail?: string) => {
    checks.push({ requirement, name, passed, ...(passed || !detail ? {} : { detail }) })
  }

  interface TCall {
    method?: string
    body?: unknown
    rawBody?: string
    correlationId?: string
    requestId?: string | null
    headers?: Record<string, string>
  }
  async function call(path: string, c: TCall = {}): Promise<TResult> {
    const requestId = c.requestId === null ? undefined : (c.requestId ?? crypto.randomUUID())
    const correlationId = c.correlationId ?? crypto.randomUUID()
    const headers: Record<string, string> = {
      accept: 'application/fhir+json; version=1.0.0',
      'nhsd-target-identifier': b64({ system: DOS, value: targetId }),
      'nhsd-end-user-organisation': b64({ resourceType: 'Organization', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'X26' }], name: 'Conformance suite' }),
      'nhsd-requesting-software': b64({ resourceType: 'Device', identifier: [{ value: 'bars-inbox-conformance' }], deviceName: [{ name: 'BaRS Inbox conformance suite', type: 'manufacturer-name' }], version: [{ value: '1' }] }),
      'x-correlation-id': correlationId,
      ...(requestId ? { 'x-request-id': requestId } : {}),
      ...(c.body !== undefined || c.rawBody !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
      ...c.headers,
    }
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k]
    const method = c.method ?? (c.body !== undefined || c.rawBody !== undefined ? 'POST' : 'GET')
    const res = await doFetch(`${base}${path}`, { method, headers, body: c.rawBody ?? (c.body !== undefined ? JSON.stringify(c.body) : undefined) })
    const text = await res.text()
    let body: Json = {}
    try {
      body = text ? (JSON.parse(text) as Json) : {}
    } catch {
      body = { unparsable: text.slice(0, 200) }
    }
    responses++
    // The optional slot discovery may meet a receiver without GET /Slot (501): not counted.
    if (res.status >= 500 && !(res.status === 501 && path.startsWith('/Slot?'))) serverErrors++
    const echoed = (!requestId || res.headers.get('x-request-id') === requestId) && res.headers.get('x-correlation-id') === correlationId
    if (!echoed) missingIds++
    return { status: res.status, body, headers: res.headers }
  }

  const post = (body: unknown, c: TCall = {}) => call('/$process-message', { ...c, body })
  const codes = (r: TResult) => `${r.status} ${r.body.issue?.[0]?.details?.coding?.[0]?.code ?? ''} ${r.body.issue?.[0]?.code ?? ''}`.trim()
  const expectOutcome = (name: string, r: TResult, status: number, rec: string, issue?: string) => {
    const ok = r.status === status && r.body.resourceType === 'OperationOutcome' && r.body.issue?.[0]?.details?.coding?.[0]?.code === rec && (!issue || r.body.issue?.[0]?.code === issue)
    check(name, ok, `expected ${status} ${rec} ${issue ?? ''}, got ${codes(r)}: ${r.body.issue?.[0]?.diagnostics ?? ''}`)
  }
  const entry = (bundle: Json, type: string): Json | undefined => bundle.entry?.find((e: Json) => e.resource?.resourceType === type)?.resource
  const withSource = (bundle: Bundle): Bundle => {
    const header = bundle.entry![0]!.resource as Json
    header.source.endpoint = `${DOS}|${sourceId}`
    header.destination[0].endpoint = `${DOS}|${targetId}`
    return bundle
  }
  const now = () => new Date()
  const newPatient = () => ({ nhsNumber: randomNhsNumber(), family: `Conf${letters()}`, given: 'Casey', birthDate: '1970-01-01', postcode: 'LS1 4AP' })
  const referralMsg = (patient: ReturnType<typeof newPatient>, extra: { supportingAppointmentId?: string; identifier?: string } = {}) =>
    withSource(freshReferralMessage({ now: now(), patient, ...extra }))
  const bookingMsg = (slotId: string, patient: ReturnType<typeof newPatient>, basedOnServiceRequestId?: string) =>
    withSource(freshBooking({ now: now(), slotId, patient, basedOnServiceRequestId }))
  const bookingCancelMsg = (patient: ReturnType<typeof newPatient>, appointmentId?: string) => withSource(freshBookingCancel({ now: now(), patient, appointmentId }))
  const referralCancelMsg = (patient: ReturnType<typeof newPatient>, status: 'revoked' | 'entered-in-error' = 'revoked') =>
    withSource(freshReferralCancel({ now: now(), patient, status, reason: 'Conformance suite cancellation' }))

  // Places the suite took, given back at the end: [correlationId, patient, appointmentId].
  const toRelease: [string, ReturnType<typeof newPatient>, string][] = []
  async function book(slotId: string, patient: ReturnType<typeof newPatient>, correlationId: string, basedOn?: string) {
    const r = await post(bookingMsg(slotId, patient, basedOn), { correlationId })
    const id = r.status === 200 ? (entry(r.body, 'Appointment')?.id as string | undefined) : undefined
    if (id) toRelease.push([correlationId, patient, id])
    return { r, id }
  }
  async function cancelBooking(correlationId: string, patient: ReturnType<typeof newPatient>, appointmentId?: string) {
    const r = await post(bookingCancelMsg(patient, appointmentId), { correlationId })
    if (r.status === 200) {
      const i = toRelease.findIndex(([c, , id]) => c === correlationId && (!appointmentId || id === appointmentId))
      if (i >= 0) toRelease.splice(i, 1)
    }
    return r
  }

  // ---------------------------------------------------------------------------------------------
  requirement = 'Slots to book'
  let slots = opts.slotIds ?? []
  if (!slots.length) {
    const from = new Date(Date.now() + 3_600_000).toISOString().replace('Z', '+00:00')
    const to = new Date(Date.now() + 48 * 3_600_000).toISOString().replace('Z', '+00:00')
    const q = `status=free&start=ge${encodeURIComponent(from)}&start=le${encodeURIComponent(to)}&Schedule.actor:HealthcareService=${targetId}&_include=Slot:schedule&_include=Schedule:actor:HealthcareService`
    const found = await call(`/Slot?${q}`)
    if (found.status === 200) slots = (found.body.entry ?? []).filter((e: Json) => e.resource?.resourceType === 'Slot' && e.resource.status === 'free').map((e: Json) => e.resource.id)
    if (!slots.length) slots = [EXAMPLE_BOOKED_SLOT_ID]
  }
  const slot = slots[0]!
  check(`a slot to book (${slots.length} candidate${slots.length === 1 ? '' : 's'})`, true)

  // ---------------------------------------------------------------------------------------------
  requirement = '§2.2/§2.3 metadata and MessageDefinition'
  {
    const cs = await call('/metadata', { headers: { 'nhsd-target-identifier': '' } })
    check('GET /metadata without target identifier → CapabilityStatement', cs.status === 200 && cs.body.resourceType === 'CapabilityStatement', codes(cs))
    check('CapabilityStatement advertises the messages received', (cs.body.messaging?.[0]?.supportedMessage ?? []).some((m: Json) => m.mode === 'receiver' && /bars-message-booking-request$/.test(m.definition)))
    const md = await call(`/MessageDefinition?context=${encodeURIComponent(`${DOS}|${targetId}`)}`)
    check('GET /MessageDefinition?context=service → searchset of MessageDefinitions', md.status === 200 && md.body.type === 'searchset' && md.body.entry?.[0]?.resource?.resourceType === 'MessageDefinition', codes(md))
    expectOutcome('MessageDefinition without context → 400 required', await call('/MessageDefinition'), 400, 'REC_BAD_REQUEST', 'required')
    expectOutcome('MessageDefinition for a service not ours → 404', await call('/MessageDefinition?context=000000001'), 404, 'REC_NOT_FOUND', 'not-found')
  }

  // ---------------------------------------------------------------------------------------------
  requirement = '§3/§7 transaction and access layer'
  {
    const p = newPatient()
    expectOutcome('missing X-Request-Id → 400 invalid', await post(referralMsg(p), { requestId: null }), 400, 'REC_BAD_REQUEST', 'invalid')
    expectOutcome('non-UUID X-Request-Id → 400 invalid', await post(referralMsg(p), { requestId: 'not-a-uuid' }), 400, 'REC_BAD_REQUEST', 'invalid')
    expectOutcome('target identifier not ours → 404', await post(referralMsg(p), { headers: { 'nhsd-target-identifier': b64({ system: DOS, value: '000000001' }) } }), 404, 'REC_NOT_FOUND', 'not-found')
    const oldSpelling = await call(`/ServiceRequest?patient:identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${p.nhsNumber}`)}`, {
      headers: { 'nhsd-target-identifier': b64({ system: 'http://fhir.nhs.uk/Id/dos-service-id', value: targetId }) },
    })
    check('old http:// dos-service-id spelling of the target accepted', oldSpelling.status === 200, codes(oldSpelling))
    const stranger = referralMsg(p)
    ;(stranger.entry![0]!.resource as Json).source.endpoint = `${DOS}|000000002`
    expectOutcome('sender not allowed for the service → 401 (never 403)', await post(stranger), 401, 'REC_UNAUTHORIZED')
    expectOutcome('Accept major version not served → 406', await post(referralMsg(p), { headers: { accept: 'application/fhir+json; version=9.0.0' } }), 406, 'REC_NOT_ACCEPTABLE')
    expectOutcome('wrong verb → 405', await call('/$process-message', { method: 'PUT', body: {} }), 405, 'REC_METHOD_NOT_ALLOWED')
    const allow = await call('/metadata', { method: 'DELETE' })
    check('405 carries Allow', allow.status === 405 && !!allow.headers.get('allow'), `${allow.status} allow=${allow.headers.get('allow')}`)
    expectOutcome('wrong media type → 415', await call('/$process-message', { rawBody: '<Bundle/>', headers: { 'content-type': 'application/xml' } }), 415, 'REC_UNSUPPORTED_MEDIA_TYPE')
    expectOutcome('body over the limit → 413', await call('/$process-message', { rawBody: JSON.stringify({ pad: 'x'.repeat(6 * 1024 * 1024) }) }), 413, 'REC_BAD_REQUEST')
    expectOutcome('unparsable body → 400 structure', await call('/$process-message', { rawBody: '{"resourceType":' }), 400, 'REC_BAD_REQUEST', 'structure')
  }

  // ---------------------------------------------------------------------------------------------
  requirement = '§11.5 $process-message checks'
  {
    const p = newPatient()
    const noVersion = referralMsg(p)
    delete noVersion.meta!.versionId
    expectOutcome('Bundle.meta.versionId missing → 400 invariant', await post(noVersion), 400, 'REC_BAD_REQUEST', 'invariant')
    const badVersion = referralMsg(p)
    badVersion.meta!.versionId = '9.0.0'
    expectOutcome('Application version not supported → 422 not-supported', await post(badVersion), 422, 'REC_UNPROCESSABLE_ENTITY', 'not-supported')
    const elsewhere = referralMsg(p)
    ;(elsewhere.entry![0]!.resource as Json).destination[0].endpoint = `${DOS}|000000003`
    expectOutcome('destination.endpoint not a service we run → 404', await post(elsewhere), 404, 'REC_NOT_FOUND')
    const noConsent = referralMsg(p)
    noConsent.entry = noConsent.entry!.filter((e) => e.resource?.resourceType !== 'Consent')
    const breach = await post(noConsent)
    expectOutcome('MessageDefinition breach (no Consent) → 400 invariant', breach, 400, 'REC_BAD_REQUEST', 'invariant')
    check('…with a precise diagnostic and expression', /Consent/.test(breach.body.issue?.[0]?.diagnostics ?? '') && breach.body.issue?.[0]?.expression?.[0] === 'Bundle.entry', JSON.stringify(breach.body.issue?.[0]))
    const useCase = bookingMsg(slot, p)
    ;(entry(useCase as Json, 'Appointment') as Json).serviceCategory[0].coding[0].code = 'a7t1'
    expectOutcome('use case not supported by the service → 422', await post(useCase), 422, 'REC_UNPROCESSABLE_ENTITY', 'not-supported')
    const unknownWorkflow = bookingMsg(slot, p)
    const header = unknownWorkflow.entry![0]!.resource as Json
    header.eventCoding.code = 'booking-response'
    delete header.definition
    expectOutcome('unknown workflow (booking-response) → 400 invariant', await post(unknownWorkflow), 400, 'REC_BAD_REQUEST', 'invariant')
    const response = referralMsg(p)
    const rh = response.entry![0]!.resource as Json
    rh.eventCoding.code = 'servicerequest-response'
    rh.response = { identifier: crypto.randomUUID(), code: 'ok' }
    delete rh.definition
    expectOutcome('response to a message we never sent → 404', await post(response), 404, 'REC_NOT_FOUND', 'not-found')
  }

  // ---------------------------------------------------------------------------------------------
  requirement = '§7 idempotency'
  {
    const p = newPatient()
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const msg = referralMsg(p)
    const first = await post(msg, ids)
    check('new referral → 200', first.status === 200, codes(first))
    expectOutcome('retry of a processed message → 409 duplicate', await post(msg, ids), 409, 'REC_CONFLICT', 'duplicate')
    const stored = await call(`/ServiceRequest?patient:identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${p.nhsNumber}`)}`)
    check('a retried message is stored once', stored.body.total === 1, `total=${stored.body.total}`)
    const bad = referralMsg(newPatient())
    delete bad.meta!.versionId
    const failIds = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const f1 = await post(bad, failIds)
    const f2 = await post(bad, failIds)
    check('retry of a failed message → the same failure', f1.status === 400 && f2.status === 400 && canonical(f1.body) === canonical(f2.body), `${codes(f1)} / ${codes(f2)}`)
    const race = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    const raced = referralMsg(newPatient())
    const statuses = (await Promise.all(Array.from({ length: 5 }, () => post(raced, race)))).map((r) => r.status)
    check('concurrent copies → exactly one 200, others 409/425', statuses.filter((s) => s === 200).length === 1 && statuses.every((s) => [200, 409, 425].includes(s)), statuses.join(','))
  }

  // ---------------------------------------------------------------------------------------------
  requirement = '§2.4 referral new and reads'
  {
    const p = newPatient()
    const identifier = `CONF-${crypto.randomUUID()}`
    const r = await post(referralMsg(p, { identifier }))
    const sr = entry(r.body, 'ServiceRequest')
    const planned = r.body.entry?.at(-1)?.resource
    check('referral → 200 with our ServiceRequest id', r.status === 200 && /^[0-9a-f-]{36}$/.test(sr?.id ?? ''), codes(r))
    check('reply adds our planned Encounter with a case reference', planned?.resourceType === 'Encounter' && planned.status === 'planned' && !!planned.identifier?.[0]?.value)
    const read = await call(`/ServiceRequest/${sr?.id}`)
    check('GET /ServiceRequest/{id} → the referral, active', read.status === 200 && read.body.id === sr?.id && read.body.status === 'active', codes(read))
    expectOutcome('GET /ServiceRequest/{non-UUID} → 400 value', await call('/ServiceRequest/123'), 400, 'REC_BAD_REQUEST', 'value')
    expectOutcome('GET /ServiceRequest/{unknown} → 404', await call(`/ServiceRequest/${crypto.randomUUID()}`), 404, 'REC_NOT_FOUND', 'not-found')
    const byNhs = await call(`/ServiceRequest?patient:identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${p.nhsNumber}`)}`)
    check('search by patient:identifier → searchset, mode match', byNhs.body.type === 'searchset' && byNhs.body.entry?.[0]?.search?.mode === 'match' && byNhs.body.entry[0].resource.id === sr?.id, codes(byNhs))
    const byDemo = await call(`/ServiceRequest?patient:name=${p.family}&patient:birthdate=eq${p.birthDate}&patient:address-postalcode=${encodeURIComponent(p.postcode)}`)
    check('search by name + birth date + postcode', byDemo.body.total === 1 && byDemo.body.entry[0].resource.id === sr?.id, `total=${byDemo.body.total}`)
    const byId = await call(`/ServiceRequest?identifier=${encodeURIComponent(identifier)}`)
    check('search by ServiceRequest.identifier', byId.body.total === 1, `total=${byId.body.total}`)
    expectOutcome('search without criteria → 400 required', await call('/ServiceRequest'), 400, 'REC_BAD_REQUEST', 'required')
    expectOutcome('search with a bad NHS number token → 400 value', await call(`/ServiceRequest?patient:identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|12')}`), 400, 'REC_BAD_REQUEST', 'value')
  }

  // ---------------------------------------------------------------------------------------------
  requirement = 'Booking then referral (BOOKREQ01 → REFREQ01)'
  {
    const p = newPatient()
    const correlationId = crypto.randomUUID()
    const { r, id } = await book(slot, p, correlationId)
    const appt = entry(r.body, 'Appointment')
    check('booking → 200 with our Appointment id and created', r.status === 200 && !!id && !!appt?.created, codes(r))
    check('reply keeps our Slot id', entry(r.body, 'Slot')?.id === slot)
    const ref = await post(referralMsg(p, { supportingAppointmentId: id }), { correlationId })
    const srId = entry(ref.body, 'ServiceRequest')?.id
    check('referral naming the booking (supportingInfo) → 200', ref.status === 200, codes(ref))
    const readAppt = await call(`/Appointment/${id}`)
    check('GET /Appointment/{id} shows the link (basedOn)', readAppt.body.basedOn?.[0]?.reference === `ServiceRequest/${srId}`, JSON.stringify(readAppt.body.basedOn))
    const search = await call(`/Appointment?patient:identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${p.nhsNumber}`)}`)
    check('GET /Appointment?patient:identifier → searchset', search.body.type === 'searchset' && search.body.total === 1, `total=${search.body.total}`)
    const cancel = await cancelBooking(correlationId, p)
    check('booking cancel (BOOKREQ02, matched by cascade) → 200', cancel.status === 200 && entry(cancel.body, 'Appointment')?.id === id, codes(cancel))
    const after = await call(`/Appointment/${id}`)
    check('cancelled booking reads as cancelled, decoupled', after.body.status === 'cancelled' && !after.body.basedOn, `${after.body.status}`)
    const sr = await call(`/ServiceRequest/${srId}`)
    check('the referral stays active after its booking is cancelled', sr.body.status === 'active', sr.body.status)
  }

  requirement = 'Referral then booking (REFREQ01 → BOOKREQ01)'
  {
    const p = newPatient()
    const correlationId = crypto.randomUUID()
    const ref = await post(referralMsg(p), { correlationId })
    const srId = entry(ref.body, 'ServiceRequest')?.id
    const { r, id } = await book(slot, p, correlationId, srId)
    check('booking based on the referral (Appointment.basedOn) → 200', r.status === 200, codes(r))
    const read = await call(`/ServiceRequest/${srId}`)
    check('GET /ServiceRequest/{id} shows the booking (supportingInfo)', (read.body.supportingInfo ?? []).some((s: Json) => s.reference === `Appointment/${id}`))
    const revoke = await post(referralCancelMsg(p), { correlationId })
    check('referral cancel (SERVREQ01 revoked) → 200', revoke.status === 200, codes(revoke))
    const srAfter = await call(`/ServiceRequest/${srId}`)
    check('revoked referral reads as revoked with its reason', srAfter.body.status === 'revoked' && srAfter.body.reasonCode?.[0]?.text === 'Conformance suite cancellation', srAfter.body.status)
    const apptAfter = await call(`/Appointment/${id}`)
    check('its booking is decoupled, not cancelled', apptAfter.body.status === 'booked' && !apptAfter.body.basedOn, apptAfter.body.status)
    await cancelBooking(correlationId, p)
  }

  requirement = 'Rebook and re-refer'
  {
    const p = newPatient()
    const correlationId = crypto.randomUUID()
    await book(slot, p, correlationId)
    const cancel = await cancelBooking(correlationId, p)
    const { r } = await book(slot, p, correlationId)
    check('rebook = cancel then new, same conversation → 200, 200', cancel.status === 200 && r.status === 200, `${cancel.status}, ${r.status}`)
    await cancelBooking(correlationId, p)

    const q = newPatient()
    const conv = crypto.randomUUID()
    const first = await post(referralMsg(q), { correlationId: conv })
    const revoke = await post(referralCancelMsg(q, 'entered-in-error'), { correlationId: conv })
    const second = await post(referralMsg(q), { correlationId: conv })
    check('re-refer = revoke (SERVREQ02 entered-in-error) then new → 200, 200, 200', [first, revoke, second].every((x) => x.status === 200), [first, revoke, second].map(codes).join(' / '))
    const old = await call(`/ServiceRequest/${entry(first.body, 'ServiceRequest')?.id}`)
    check('the first referral keeps its entered-in-error status', old.body.status === 'entered-in-error', old.body.status)
  }

  // ---------------------------------------------------------------------------------------------
  requirement = '§10 stateful 111→ED scenarios'
  {
    const p = newPatient()
    const conv = crypto.randomUUID()
    await book(slot, p, conv)
    const twice = await post(bookingMsg(slot, p), { correlationId: conv })
    expectOutcome('book twice → 409 conflict', twice, 409, 'REC_CONFLICT', 'conflict')
    await cancelBooking(conv, p)

    expectOutcome('cancel a booking that does not exist → 400', await post(bookingCancelMsg(newPatient())), 400, 'REC_BAD_REQUEST')
    expectOutcome('referral linked to a missing booking → 400', await post(referralMsg(newPatient(), { supportingAppointmentId: crypto.randomUUID() })), 400, 'REC_BAD_REQUEST')

    const q = newPatient()
    const conv2 = crypto.randomUUID()
    const { id } = await book(slot, q, conv2)
    await post(referralMsg(q, { supportingAppointmentId: id }), { correlationId: conv2 })
    expectOutcome('mis-linked referral (booking already linked) → 409', await post(referralMsg(q, { supportingAppointmentId: id })), 409, 'REC_CONFLICT', 'conflict')
    expectOutcome('referral twice in one conversation → 409', await post(referralMsg(q), { correlationId: conv2 }), 409, 'REC_CONFLICT', 'conflict')
    await cancelBooking(conv2, q)
    expectOutcome('cancel a referral that does not exist → 400', await post(referralCancelMsg(newPatient())), 400, 'REC_BAD_REQUEST')
    const conv3 = crypto.randomUUID()
    const z = newPatient()
    await post(referralMsg(z), { correlationId: conv3 })
    await post(referralCancelMsg(z), { correlationId: conv3 })
    expectOutcome('cancel a referral already cancelled → 409 (not a silent success)', await post(referralCancelMsg(z), { correlationId: conv3 }), 409, 'REC_CONFLICT', 'conflict')
  }

  requirement = 'Slot capacity'
  {
    let full: TResult | undefined
    const taken: [string, ReturnType<typeof newPatient>][] = []
    for (let i = 0; i < 50 && !full; i++) {
      const p = newPatient()
      const conv = crypto.randomUUID()
      const { r } = await book(slot, p, conv)
      if (r.status === 200) taken.push([conv, p])
      else full = r
    }
    check(`slot filled through the API (${taken.length} places taken)`, !!full)
    if (full) expectOutcome('booking a full slot → 409 conflict', full, 409, 'REC_CONFLICT', 'conflict')
    for (const [conv, p] of taken) await cancelBooking(conv, p)
  }

  const casTarget = opts.casTarget === undefined ? '555555555' : opts.casTarget
  if (casTarget) {
    await casScenarios({
      casTarget,
      edTarget: targetId,
      sourceId,
      call,
      check,
      expectOutcome,
      setRequirement: (r) => {
        requirement = r
      },
    })
  }

  // Give back anything still held (a scenario that failed half-way).
  for (const [conv, p, id] of [...toRelease]) await cancelBooking(conv, p, id)

  // App 5 (GP → Community Pharmacy, apps-3-4-5.md §4): REFREQ03, its cancellation, no updates.
  async function pharmacyCases(pharmacyId: string) {
    requirement = 'App 5 community pharmacy (REFREQ03)'
    const at = (id: string) => ({ 'nhsd-target-identifier': b64({ system: DOS, value: id }) })
    const fromSource = (bundle: Bundle): Bundle => {
      ;(bundle.entry![0]!.resource as Json).source.endpoint = `${DOS}|${sourceId}`
      return bundle
    }
    const patient = { nhsNumber: randomNhsNumber(), family: `Conf${letters()}`, given: 'Pat' }
    const mdQuery = `context=${encodeURIComponent(`${DOS}|${pharmacyId}`)}&context=${encodeURIComponent('https://fhir.nhs.uk/CodeSystem/usecases-categories-bars|a5t1')}`
    const md = await call(`/MessageDefinition?${mdQuery}`)
    const mdUrls: string[] = (md.body.entry ?? []).map((e: Json) => e.resource?.url)
    check(
      'MessageDefinition for the pharmacy + a5t1 → referral and cancellation, no booking',
      md.status === 200 && mdUrls.some((u) => u.endsWith('-request-referral')) && mdUrls.some((u) => u.endsWith('-request-cancelled')) && !mdUrls.some((u) => u.includes('booking')),
      `${md.status}: ${mdUrls.join(', ')}`,
    )
    const conv = crypto.randomUUID()
    const created = await post(fromSource(freshPharmacyReferral({ now: now(), dosId: pharmacyId, patient, reasonableAdjustments: true })), { correlationId: conv, headers: at(pharmacyId) })
    const srId = entry(created.body, 'ServiceRequest')?.id as string | undefined
    const planned = (created.body.entry ?? []).some((e: Json) => e.resource?.resourceType === 'Encounter' && e.resource?.status === 'planned' && e.resource?.identifier?.[0]?.value)
    check('REFREQ03 (a5t1, versionId 1.0.0-beta) → 200 with our ServiceRequest id and a planned Encounter', created.status === 200 && !!srId && planned, codes(created))
    if (srId) {
      const read = await call(`/ServiceRequest/${srId}`, { headers: at(pharmacyId) })
      check('GET /ServiceRequest/{id} at the pharmacy → 200 active', read.status === 200 && read.body.status === 'active', `${read.status} ${read.body.status ?? ''}`)
      expectOutcome(
        'content update (reason update, ServiceRequest active) → 400 invariant (A5.4: re-refer instead)',
        await post(fromSource(freshPharmacyUpdate({ now: now(), dosId: pharmacyId, serviceRequestId: srId, patient })), { correlationId: conv, headers: at(pharmacyId) }),
        400,
        'REC_BAD_REQUEST',
        'invariant',
      )
      const cancel = await post(fromSource(freshPharmacyCancel({ now: now(), dosId: pharmacyId, serviceRequestId: srId, patient })), { correlationId: conv, headers: at(pharmacyId) })
      check('cancellation (SERVREQ01 as a5t1, revoked) → 200 naming our ServiceRequest', cancel.status === 200 && entry(cancel.body, 'ServiceRequest')?.id === srId, codes(cancel))
      const after = await call(`/ServiceRequest/${srId}`, { headers: at(pharmacyId) })
      check('GET after the cancellation → revoked', after.status === 200 && after.body.status === 'revoked', `${after.status} ${after.body.status ?? ''}`)
      expectOutcome(
        'the same cancellation again → 409 conflict',
        await post(fromSource(freshPharmacyCancel({ now: now(), dosId: pharmacyId, serviceRequestId: srId, patient })), { correlationId: conv, headers: at(pharmacyId) }),
        409,
        'REC_CONFLICT',
        'conflict',
      )
    }
    const withdrawn = fromSource(freshPharmacyReferral({ now: now(), dosId: pharmacyId, patient: { ...patient, nhsNumber: randomNhsNumber() } }))
    const wsr = entry(withdrawn as Json, 'ServiceRequest')!
    wsr.category[0].coding[1] = { system: 'https://fhir.nhs.uk/CodeSystem/usecases-categories-bars', code: 'a5t2', display: 'Primary Care to Pharmacy Contraception' }
    expectOutcome('withdrawn use case a5t2 at the pharmacy → 422 (A5.1)', await post(withdrawn, { headers: at(pharmacyId) }), 422, 'REC_UNPROCESSABLE_ENTITY', 'not-supported')
    if (targetId !== pharmacyId) {
      const toTarget = fromSource(freshPharmacyReferral({ now: now(), dosId: targetId, patient: { ...patient, nhsNumber: randomNhsNumber() } }))
      expectOutcome(`REFREQ03 at ${targetId} (no a5t1 there) → 422 not-supported`, await post(toTarget), 422, 'REC_UNPROCESSABLE_ENTITY', 'not-supported')
    }
  }
  if ((opts.pharmacy ?? '666666666') !== 'none') await pharmacyCases(opts.pharmacy ?? '666666666')

  requirement = 'Every response'
  check(`no response >= 500 (${responses} responses)`, serverErrors === 0, `${serverErrors} responses >= 500`)
  check('every response echoes X-Request-Id and X-Correlation-Id', missingIds === 0, `${missingIds} responses without both ids`)

  return { checks, responses, serverErrors, missingIds, passed: checks.every((c) => c.passed) }
}

// ---- Apps 3 and 4 at a CAS (issue 12): 999 → CAS referral and ambulance validation ----------

interface TCasSuite {
  casTarget: string
  edTarget: string
  sourceId: string
  call: (path: string, c?: { body?: unknown; correlationId?: string; headers?: Record<string, string> }) => Promise<TResult>
  check: (name: string, passed: boolean, detail?: string) => void
  expectOutcome: (name: string, r: TResult, status: number, rec: string, issue?: string) => void
  setRequirement: (r: string) => void
}

async function casScenarios(s: TCasSuite) {
  const to = (dos: string) => ({ 'nhsd-target-identifier': b64({ system: DOS, value: dos }) })
  const fresh = (name: TCasExample, o: { breachMinutes?: number; destination?: string } = {}): Json => {
    const b = freshCasMessage(name, { now: new Date(), destination: o.destination ?? s.casTarget, breachMinutes: o.breachMinutes, family: `Conf${letters()}`, given: 'Casey' }) as Json
    b.entry[0].resource.source.endpoint = `${DOS}|${s.sourceId}`
    return b
  }
  const post = (body: Json, correlationId: string, dos = s.casTarget) => s.call('/$process-message', { body, correlationId, headers: to(dos) })
  const planned = (r: TResult) => r.body.entry?.map((e: Json) => e.resource).find((x: Json) => x?.resourceType === 'Encounter' && x.status === 'planned')
  const srId = (r: TResult) => r.body.entry?.map((e: Json) => e.resource).find((x: Json) => x?.resourceType === 'ServiceRequest')?.id

  s.setRequirement('App 4 validation request (A4.1–A4.11)')
  const first = crypto.randomUUID()
  const created = await post(fresh('VALREQ01', { breachMinutes: 20 }), first)
  s.check('VALREQ01 → 200', created.status === 200, `got ${created.status}`)
  const enc = planned(created)
  s.check('sync reply carries our planned Encounter with an id and a case reference (A4.7)', !!enc?.id && !!enc?.identifier?.[0]?.value)
  const ampds = await post(fresh('VALREQ03', { breachMinutes: 30 }), crypto.randomUUID())
  s.check('VALREQ03 (AMPDS) → 200', ampds.status === 200, `got ${ampds.status}`)
  const notActive = fresh('VALREQ01')
  for (const e of notActive.entry) if (e.resource.resourceType === 'CarePlan') e.resource.status = 'completed'
  s.expectOutcome('CarePlan not active → 400 invariant (A4.1)', await post(notActive, crypto.randomUUID()), 400, 'REC_BAD_REQUEST', 'invariant')
  const noLocation = fresh('VALREQ01')
  noLocation.entry = noLocation.entry.filter((e: Json) => e.resource.resourceType !== 'Location')
  s.expectOutcome('no incident Location (1..1) → 400 invariant (A4.3)', await post(noLocation, crypto.randomUUID()), 400, 'REC_BAD_REQUEST', 'invariant')
  s.expectOutcome('a second new request in an open conversation → 409', await post(fresh('VALREQ01'), first), 409, 'REC_CONFLICT', 'conflict')
  const updated = await post(fresh('VALREQ02', { breachMinutes: 45 }), first)
  s.check('VALREQ02 update → 200 with our ServiceRequest id (A4.8)', updated.status === 200 && srId(updated) === srId(created), `got ${updated.status}`)
  const cancelled = await post(fresh('SERVREQ02'), first)
  s.check('SERVREQ02 cancellation → 200 (A4.11)', cancelled.status === 200, `got ${cancelled.status}`)
  s.expectOutcome('an update after the cancellation → 409 (Q10)', await post(fresh('VALREQ02'), first), 409, 'REC_CONFLICT', 'conflict')
  s.expectOutcome('a validation request at a service without a4t1 → 422 (A4.2)', await post(fresh('VALREQ01', { destination: s.edTarget }), crypto.randomUUID(), s.edTarget), 422, 'REC_UNPROCESSABLE_ENTITY', 'not-supported')

  s.setRequirement('App 3 referral (A3.1–A3.9)')
  const conv = crypto.randomUUID()
  const referral = await post(fresh('REFREQ02'), conv)
  s.check('REFREQ02 → 200 with our planned Encounter (A3.9)', referral.status === 200 && !!planned(referral)?.id, `got ${referral.status}`)
  const update = fresh('REFREQ02')
  update.entry[0].resource.reason.coding[0].code = 'update'
  s.expectOutcome('a content update of an App 3 referral → 400 invariant (A3.5, Q1)', await post(update, conv), 400, 'REC_BAD_REQUEST', 'invariant')

  s.setRequirement('CAS capability and MessageDefinitions (A4.54)')
  const cs = await s.call('/metadata', { headers: to(s.casTarget) })
  const messaging = (cs.body.messaging ?? []).find((m: Json) => String(m.documentation ?? '').includes(s.casTarget)) ?? cs.body.messaging?.[0]
  const modes = new Set((messaging?.supportedMessage ?? []).map((m: Json) => `${m.mode} ${m.definition}`))
  s.check('receiver for request-validation', modes.has('receiver https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-validation'))
  s.check('sender for response-validation-interim', modes.has('sender https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-validation-interim'))
  s.check('sender for response-validation-full', modes.has('sender https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-validation-full'))
  const mds = await s.call(`/MessageDefinition?context=${encodeURIComponent(`${DOS}|${s.casTarget}`)}`)
  s.check(
    'MessageDefinition search for the CAS lists the validation request with useContext a4t1',
    mds.status === 200 && (mds.body.entry ?? []).some((e: Json) => e.resource.url.endsWith('request-validation') && JSON.stringify(e.resource.useContext).includes('a4t1')),
    `got ${mds.status}`,
  )
}

export function formatReport(report: TReport): string {
  const lines: string[] = []
  const groups = [...new Set(report.checks.map((c) => c.requirement))]
  const width = Math.max(...report.checks.map((c) => c.name.length), 20)
  for (const g of groups) {
    const items = report.checks.filter((c) => c.requirement === g)
    lines.push(`\n${items.every((c) => c.passed) ? 'PASS' : 'FAIL'}  ${g}`)
    for (const c of items) lines.push(`  ${c.passed ? 'pass' : 'FAIL'}  ${c.name.padEnd(width)}${c.detail ? `  — ${c.detail}` : ''}`)
  }
  const failed = report.checks.filter((c) => !c.passed).length
  lines.push(`\n${report.checks.length - failed}/${report.checks.length} checks passed; ${report.responses} responses, ${report.serverErrors} >= 500, ${report.missingIds} without both ids.`)
  return lines.join('\n')
}

function parseArgs(argv: string[]): TConformanceOptions {
  const opts: TConformanceOptions = { baseUrl: 'http://localhost:3000' }
  const slotIds: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined]
    const value = () => inline ?? argv[++i] ?? ''
    if (flag === '--base-url') opts.baseUrl = value()
    else if (flag === '--target') opts.target = value()
    else if (flag === '--source') opts.source = value()
    else if (flag === '--slot-id') slotIds.push(value())
    else if (flag === '--pharmacy') opts.pharmacy = value()
    else if (flag === '--cas-target') opts.casTarget = value()
    else if (flag === '--no-cas') opts.casTarget = null
    else if (flag === '--help') {
      console.log('npm run conformance -- --base-url http://localhost:3000 [--target 111111111] [--source 2222222222] [--slot-id <uuid>]… [--cas-target 555555555 | --no-cas] [--pharmacy 666666666|none]')
      process.exit(0)
    } else throw new Error(`Unknown option ${flag}`)
  }
  if (slotIds.length) opts.slotIds = slotIds
  return opts
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseArgs(process.argv.slice(2))
  runConformance(opts)
    .then((report) => {
      console.log(formatReport(report))
      process.exit(report.passed ? 0 : 1)
    })
    .catch((e: unknown) => {
      console.error(`Conformance run failed: ${e instanceof Error ? e.message : String(e)}`)
      process.exit(2)
    })
}
