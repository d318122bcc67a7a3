// `npm run reliability`: the reliability scenarios of issue 9 against a throwaway instance — its own
// embedded PostgreSQL (temporary directory), the production build under scripts/web-server.mjs when one exists
// (`npm run build` first), otherwise the same route handlers served in process by a small Node HTTP
// server (scripts/reliability-server.ts) — and one line per scenario with its counts:
//   concurrency  100 referrals in one conversation → 1 active; 50 bookings → 1 current; 4 cancels → one 200
//   crash        kill -9 of the server under 20 msg/s, restart: every message that got a 200 stored exactly once
//   outage       PostgreSQL stopped under load → 503 REC_UNAVAILABLE + Retry-After ≤ 5 within 5 s, no 500; started → 200s
//   outbox       sender down, then up → every queued response delivered exactly once
// Exits non-zero when any scenario fails. Options: --in-process (ignore a build), --port N.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { freePort, startEmbeddedPostgres } from './embedded-postgres.mjs'

const root = path.resolve(import.meta.dirname, '..')
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name)
const argValue = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
Object.assign(process.env, { NEXT_TELEMETRY_DISABLED: '1', CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1', BARS_LOG: 'silent' })

interface TJson {
  issue?: { details?: { coding?: { code?: string }[] } }[]
  entry?: { resource?: { resourceType?: string; id?: string } }[]
}
interface TAnswer {
  status: number // 0 = no answer (connection refused / reset / timeout)
  ms: number
  retryAfter?: string
  rec?: string
  body?: TJson
}

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env }, cwd: root })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code}`))))
  })
}

const results: { name: string; ok: boolean; line: string }[] = []
function report(name: string, ok: boolean, line: string) {
  results.push({ name, ok, line })
  console.log(`${name.padEnd(12)} ${ok ? 'PASS' : 'FAIL'}  ${line}`)
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bars-reliability-'))
fs.chmodSync(tmp, 0o755)
const dataDir = path.join(tmp, 'pg')
const pgPort = await freePort()
let db = await startEmbeddedPostgres({ dataDir, port: pgPort, database: 'bars' })
const dbUrl = db.url
process.env.DATABASE_URL = dbUrl
const appPort = Number(argValue('port') ?? (await freePort()))
const base = `http://127.0.0.1:${appPort}`
const useBuild = !process.argv.includes('--in-process') && fs.existsSync(path.join(root, '.next', 'BUILD_ID'))
const serverEnv: Record<string, string | undefined> = {
  ...process.env,
  DATABASE_URL: dbUrl,
  NEXTAUTH_SECRET: 'reliability-only-secret-0123456789abcdef',
  NEXTAUTH_URL: base,
  BARS_PUBLIC_URL: base,
  BARS_SENDER_RATE_LIMIT: '1000000',
  // The concurrency scenario must reach the database race with all 100 requests: lift the per-instance
  // in-flight bound (load shedding is proved by lib/http/inflight-limit.int.test.ts and npm run bench).
  BARS_MAX_INFLIGHT_MESSAGES: '200',
  PORT: String(appPort),
}
let server: ChildProcess | null = null
let outboxWorker: ChildProcess | null = null
const sql = new pg.Pool({ connectionString: dbUrl, max: 4 })
sql.on('error', () => {}) // idle connections die while PostgreSQL is stopped on purpose

async function cleanup() {
  for (const c of [server, outboxWorker]) if (c?.pid) killGroup(c, 'SIGKILL')
  await sql.end().catch(() => {})
  await db.stop().catch(() => {})
  fs.rmSync(tmp, { recursive: true, force: true })
}
function killGroup(c: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-c.pid!, signal)
  } catch {
    // already gone
  }
}

async function startServer() {
  const [cmd, args] = useBuild ? [process.execPath, ['scripts/web-server.mjs', '-p', String(appPort), '-H', '127.0.0.1']] : [bin('tsx'), ['scripts/reliability-server.ts']]
  server = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...serverEnv, NODE_ENV: 'production' }, cwd: root, detached: true })
  const until = Date.now() + 120_000
  while (Date.now() < until) {
    const a = await call('GET', '/fhir/metadata')
    if (a.status === 200) return
    await sleep(250)
  }
  throw new Error('the server did not answer within 120 s')
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64')
const TARGET = b64({ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: '111111111' })

async function call(method: 'GET' | 'POST', p: string, body?: unknown, ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }, timeoutMs = 15_000): Promise<TAnswer> {
  const started = performance.now()
  try {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: {
        'content-type': 'application/fhir+json',
        accept: 'application/fhir+json; version=1.0.0',
        'nhsd-target-identifier': TARGET,
        'x-request-id': ids.requestId,
        'x-correlation-id': ids.correlationId,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const json = (await res.json().catch(() => undefined)) as TJson | undefined
    return { status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after') ?? undefined, rec: json?.issue?.[0]?.details?.coding?.[0]?.code, body: json }
  } catch {
    return { status: 0, ms: performance.now() - started }
  }
}
const send = (bundle: unknown, ids?: { requestId: string; correlationId: string }) => call('POST', '/fhir/$process-message', bundle, ids)
const count = (answers: TAnswer[], f: (a: TAnswer) => boolean) => answers.filter(f).length
const fivexx = (answers: TAnswer[]) => count(answers, (a) => a.status >= 500)
const statusSummary = (answers: TAnswer[]) => {
  const m = new Map<string, number>()
  for (const a of answers) m.set(a.status ? String(a.status) : 'no answer', (m.get(a.status ? String(a.status) : 'no answer') ?? 0) + 1)
  return [...m].sort().map(([s, n]) => `${n} × ${s}`).join(', ')
}
async function one<T = number>(query: string, params: unknown[] = []): Promise<T> {
  const r = await sql.query(query, params)
  return Object.values(r.rows[0] ?? {})[0] as T
}

/** Send `total` fresh referrals at `perSecond`, calling `during(elapsedMs)` as time passes; resolves with every answer. */
async function steadyLoad(total: number, perSecond: number, freshReferral: (o: { now: Date }) => unknown, during: (elapsedMs: number) => Promise<void> | void = () => {}) {
  const started = Date.now()
  const sent: { ids: { requestId: string; correlationId: string }; answer: Promise<TAnswer> }[] = []
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perSecond
    if (due > Date.now()) await sleep(due - Date.now())
    await during(Date.now() - started)
    const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
    sent.push({ ids, answer: send(freshReferral({ now: new Date() }), ids) })
  }
  return Promise.all(sent.map(async (s) => ({ ids: s.ids, answer: await s.answer })))
}

async function storedExactlyOnce(msgs: { ids: { requestId: string; correlationId: string }; answer: TAnswer }[]) {
  let ok = 0
  const acknowledged = msgs.filter((m) => m.answer.status === 200)
  for (const m of acknowledged) {
    const referrals = await one<string>(`SELECT count(*) FROM "Referral" WHERE "correlationId" = $1`, [m.ids.correlationId])
    const succeeded = await one<string>(`SELECT count(*) FROM "InboundMessage" WHERE "requestId" = $1 AND state = 'SUCCEEDED'`, [m.ids.requestId])
    if (Number(referrals) === 1 && Number(succeeded) === 1) ok++
  }
  return { acknowledged: acknowledged.length, ok }
}

try {
  await run(bin('prisma'), ['migrate', 'deploy'], { DATABASE_URL: dbUrl })
  await run(bin('tsx'), ['prisma/seed.ts'], { DATABASE_URL: dbUrl })
  // The app's modules, for building messages and for the outbox scenario, read DATABASE_URL when first used.
  const { freshReferral } = await import('@/lib/demo/demo-referrals')
  const { freshBooking, freshReferralCancel, randomNhsNumber } = await import('@/lib/bars/example-messages')
  await startServer()
  console.log(`reliability: ${useBuild ? 'production build under scripts/web-server.mjs' : 'route handlers in process (scripts/reliability-server.ts; no build found)'} on ${base}, embedded PostgreSQL on port ${pgPort}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`)

  // ——— concurrency ———
  {
    const nhsNumber = randomNhsNumber()
    const conv = crypto.randomUUID()
    const referrals = await Promise.all(Array.from({ length: 100 }, () => send(freshReferral({ now: new Date(), nhsNumber }), { requestId: crypto.randomUUID(), correlationId: conv })))
    const active = Number(await one(`SELECT count(*) FROM "Referral" WHERE "correlationId" = $1 AND "fhirStatus" = 'active'`, [conv]))

    const slots = (await sql.query(`SELECT id FROM "Slot" WHERE start > now() + interval '1 hour' AND NOT blocked AND booked < capacity ORDER BY start LIMIT 50`)).rows.map((r) => r.id as string)
    const conv2 = crypto.randomUUID()
    const bookingNhs = randomNhsNumber()
    const bookings = await Promise.all(slots.map((slotId) => send(freshBooking({ now: new Date(), slotId, patient: { nhsNumber: bookingNhs } }), { requestId: crypto.randomUUID(), correlationId: conv2 })))
    const current = Number(await one(`SELECT count(*) FROM "Booking" WHERE "correlationId" = $1 AND status = 'booked'`, [conv2]))

    const conv3 = crypto.randomUUID()
    const cancelNhs = randomNhsNumber()
    const made = await send(freshReferral({ now: new Date(), nhsNumber: cancelNhs }), { requestId: crypto.randomUUID(), correlationId: conv3 })
    const srId = made.body?.entry?.find((e) => e.resource?.resourceType === 'ServiceRequest')?.resource?.id
    const cancels = await Promise.all(Array.from({ length: 4 }, () => send(freshReferralCancel({ now: new Date(), serviceRequestId: srId, patient: { nhsNumber: cancelNhs } }), { requestId: crypto.randomUUID(), correlationId: conv3 })))
    const ok =
      active === 1 && fivexx(referrals) === 0 && slots.length === 50 && current === 1 && fivexx(bookings) === 0 && made.status === 200 && count(cancels, (a) => a.status === 200) === 1 && fivexx(cancels) === 0
    report(
      'concurrency',
      ok,
      `100 referrals, one conversation → ${active} active (${statusSummary(referrals)}); ${slots.length} bookings, one conversation → ${current} current (${statusSummary(bookings)}); 4 cancels → ${statusSummary(cancels)}`,
    )
  }

  // ——— crash: kill -9 of the server under 20 msg/s, restart ———
  {
    let killedAt = -1
    let restarted: Promise<void> | null = null
    const msgs = await steadyLoad(400, 20, freshReferral, (elapsed) => {
      if (killedAt < 0 && elapsed >= 5000) {
        killedAt = elapsed
        killGroup(server!, 'SIGKILL')
        restarted = startServer()
      }
    })
    await restarted
    const answers = msgs.map((m) => m.answer)
    const { acknowledged, ok } = await storedExactlyOnce(msgs)
    const after = await send(freshReferral({ now: new Date() }))
    report(
      'crash',
      // While the restarted server warms up it may shed load with 503 REC_UNAVAILABLE (retryable); any other 5xx fails.
      acknowledged > 0 && ok === acknowledged && count(answers, (a) => a.status >= 500 && a.rec !== 'REC_UNAVAILABLE') === 0 && after.status === 200,
      `400 messages at 20/s, server killed -9 at ${(killedAt / 1000).toFixed(1)} s and restarted: ${statusSummary(answers)}; ${ok}/${acknowledged} acknowledged messages stored exactly once; first message after restart → ${after.status}`,
    )
  }

  // ——— outage: PostgreSQL stopped under load, started again (the app is not restarted) ———
  {
    let stoppedAt = -1
    let startedAt = -1
    let restarting: Promise<void> | null = null
    const msgs = await steadyLoad(150, 10, freshReferral, async (elapsed) => {
      if (stoppedAt < 0 && elapsed >= 3000) {
        stoppedAt = elapsed
        await db.stop()
      }
      if (stoppedAt >= 0 && startedAt < 0 && elapsed >= 8000) {
        startedAt = elapsed
        restarting = startEmbeddedPostgres({ dataDir, port: pgPort, database: 'bars' }).then((d) => {
          db = d
        })
        await restarting
      }
    })
    await restarting
    const answers = msgs.map((m) => m.answer)
    const unavailable = answers.filter((a) => a.status === 503)
    const good503 = unavailable.filter((a) => a.rec === 'REC_UNAVAILABLE' && Number(a.retryAfter) >= 1 && Number(a.retryAfter) <= 5)
    const slowest503 = Math.max(0, ...unavailable.map((a) => a.ms))
    const otherFailures = count(answers, (a) => a.status === 0 || (a.status >= 500 && a.status !== 503))
    const tail = answers.slice(-30) // the last 3 s, well after PostgreSQL is back
    const unanswered = answers.filter((a) => a.status === 0).map((a) => `${Math.round(a.ms)} ms`)
    const { acknowledged, ok } = await storedExactlyOnce(msgs)
    const pass = unavailable.length > 0 && good503.length === unavailable.length && slowest503 <= 5000 && otherFailures === 0 && tail.every((a) => a.status === 200) && ok === acknowledged
    report(
      'outage',
      pass,
      `150 messages at 10/s, PostgreSQL stopped at ${(stoppedAt / 1000).toFixed(1)} s, started at ${(startedAt / 1000).toFixed(1)} s: ${statusSummary(answers)}; ${good503.length}/${unavailable.length} × 503 with REC_UNAVAILABLE + Retry-After ≤ 5, slowest ${Math.round(slowest503)} ms; last 30 → ${statusSummary(tail)}; ${ok}/${acknowledged} acknowledged stored exactly once${unanswered.length ? `; unanswered after ${unanswered.join(', ')}` : ''}`,
    )
  }

  // ——— outbox recovery: the sender is down, then up ———
  {
    const { prisma } = await import('@/lib/db/prisma')
    const { processMessage } = await import('@/lib/messages/process-message')
    const { acceptReferral } = await import('@/lib/referrals/accept-referral')
    const { staffActor } = await import('@/lib/audit/actor')
    const { serviceRepository } = await import('@/lib/services/service-repository')
    const { startSimulator } = await import('@/scripts/simulator')
    const simPort = await freePort()
    await prisma().senderSystem.updateMany({ data: { responseBaseUrl: `http://127.0.0.1:${simPort}/fhir` } })
    await prisma().outboxMessage.updateMany({ where: { status: 'PENDING' }, data: { status: 'DELIVERED' } }) // nothing left from before
    const service = (await serviceRepository.findByDosId('111111111'))!
    const clinician = staffActor(await prisma().staffUser.findUniqueOrThrow({ where: { email: 'clinician@demo.nhs.uk' } }))
    const outboxIds: string[] = []
    for (let i = 0; i < 20; i++) {
      const reply = await processMessage({ service, requestId: crypto.randomUUID(), correlationId: crypto.randomUUID(), nhsd: { undecodable: [] }, auditHeaders: {}, body: freshReferral({ now: new Date() }) })
      const id = reply.entry!.find((e) => e.resource!.resourceType === 'ServiceRequest')!.resource!.id!
      outboxIds.push((await acceptReferral({ referralId: id, version: 1, actor: clinician })).outboxId)
    }
    outboxWorker = spawn(bin('tsx'), ['scripts/outbox-worker.ts', '--poll-ms', '200', '--base-delay-ms', '300', '--max-delay-ms', '1500', '--max-attempts', '100', '--timeout-ms', '2000', '--housekeeping-ms', '3600000'], {
      stdio: 'ignore',
      env: { ...serverEnv, NODE_ENV: 'production' },
      cwd: root,
      detached: true,
    })
    // The sender is down: wait until the worker has been refused on every queued response at least once.
    const downSince = Date.now()
    let failedAttempts = 0
    while (Date.now() - downSince < 60_000) {
      const tried = Number(await one(`SELECT count(*) FROM "OutboxMessage" WHERE id = ANY($1::uuid[]) AND attempts > 0`, [outboxIds]))
      failedAttempts = Number(await one(`SELECT coalesce(sum(attempts), 0) FROM "OutboxMessage" WHERE id = ANY($1::uuid[])`, [outboxIds]))
      if (tried === outboxIds.length) break
      await sleep(250)
    }
    const downFor = ((Date.now() - downSince) / 1000).toFixed(1)
    const sim = await startSimulator({ port: simPort })
    const until = Date.now() + 60_000
    let delivered = 0
    while (Date.now() < until) {
      delivered = Number(await one(`SELECT count(*) FROM "OutboxMessage" WHERE id = ANY($1::uuid[]) AND status = 'DELIVERED'`, [outboxIds]))
      if (delivered === outboxIds.length) break
      await sleep(250)
    }
    await sleep(2000) // anything delivered twice would arrive by now
    killGroup(outboxWorker, 'SIGTERM')
    const received = sim.received.length
    const duplicates = (await (await fetch(`http://127.0.0.1:${simPort}/received`)).json()) as { duplicates: number }
    await sim.close()
    await prisma().$disconnect()
    report(
      'outbox',
      failedAttempts > 0 && delivered === outboxIds.length && received === outboxIds.length && duplicates.duplicates === 0,
      `${outboxIds.length} responses queued, sender down for ${downFor} s (${failedAttempts} refused attempts), then up → ${delivered} delivered, ${received} received by the sender, ${duplicates.duplicates} duplicates`,
    )
  }
} catch (e) {
  console.error(`reliability: could not run: ${e instanceof Error ? e.stack : String(e)}`)
  results.push({ name: 'run', ok: false, line: 'error' })
} finally {
  await cleanup()
}
console.log(`reliability: load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
const failed = results.filter((r) => !r.ok)
console.log(failed.length ? `reliability: ${failed.length} scenario(s) failed` : 'reliability: every scenario passed')
process.exit(failed.length ? 1 : 0)
