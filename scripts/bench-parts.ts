/** Parts of `npm run bench` that need the database or a browser (scripts/bench.ts runs them). */
import { chromium } from '@playwright/test'
import pg from 'pg'
import { pct } from './bench-lib'

const CLOSED_STATES = ['ACCEPTED', 'REJECTED', 'ARRIVED', 'CANCELLED', 'DID_NOT_ATTEND']

/**
 * Store referrals straight in SQL (generate_series), not through the API: `open` in state NEW, the
 * rest in closed states. Triggers are skipped for speed (session_replication_role = replica) and the
 * per-state counters are recomputed afterwards, exactly as the triggers would have kept them.
 * Without `history`, only the Referral rows the worklist reads are made. With it, each referral also
 * gets what receiving it through the API leaves behind, so every index the hot path writes is as
 * big as the store: its InboundMessage (fresh random request id; a small bundle, not 23 KB), its
 * first ReferralVersion pointing at that message, and two AuditEvent rows (the referral's and the call's).
 */
export async function seedReferrals(url: string, opts: { open: number; closed: number; history?: boolean }): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const { rows } = await c.query<{ id: string; n: string }>(`SELECT id, (SELECT count(*) FROM "Referral") AS n FROM "Service" WHERE "dosServiceId" = '111111111'`)
    const serviceId = rows[0]!.id
    let next = Number(rows[0]!.n) + 1_000_000
    await c.query('BEGIN')
    await c.query('SET LOCAL session_replication_role = replica')
    const insertSql = (stateSql: string) => `INSERT INTO "Referral" (id, "caseReference", "serviceId", state, "fhirStatus", "useCase", category, "correlationId", "bundleId", "encounterId",
           "sourceEndpoint", "senderName", "patientNhsNumber", "patientFamily", "patientGiven", "patientBirthDate", "chiefConcern",
           "dispositionCode", "dispositionDisplay", deadline, "deadlineSource", safeguarding, "flagCount", "receivedAt", "updatedAt")
         SELECT gen_random_uuid(), 'BN-' || n, $1, ${stateSql}, 'active', 'a1t1', 'Emergency', gen_random_uuid(), gen_random_uuid()::text, gen_random_uuid(),
           'https://fhir.nhs.uk/Id/dos-service-id|2222222222', 'NHS 111 (bench)', (9000000000 + n % 999999999)::text, 'Bench' || (n % 5000), 'Pat',
           '1980-01-01', 'Chest pain', 'Dx02', 'Attend emergency treatment centre within 1 hour',
           CASE WHEN n % 20 = 0 THEN NULL ELSE now() + ((n * 7919) % 1440 - 120) * interval '1 minute' END,
           CASE WHEN n % 20 = 0 THEN NULL ELSE 'EXPLICIT'::"DeadlineSource" END,
           n % 10 = 0, (n % 3)::int, now() - ((n * 104729) % 86400) * interval '1 second', now()
         FROM generate_series($2::bigint, $3::bigint) n`
    const historySql = (referrals: string) => `WITH ref AS (${referrals} RETURNING id, "serviceId", "correlationId", "bundleId", "patientNhsNumber", "sourceEndpoint", "receivedAt"),
         msg AS (
           INSERT INTO "InboundMessage" (id, "requestId", "correlationId", state, "serviceId", "bundleId", "eventCode", workflow, "rawBundle", headers, "receivedAt", "completedAt", "responseStatus")
           SELECT gen_random_uuid(), gen_random_uuid(), "correlationId", 'SUCCEEDED'::"MessageState", "serviceId", "bundleId", 'servicerequest-request', 'referral-new',
                  jsonb_build_object('resourceType', 'Bundle', 'id', "bundleId", 'type', 'message'), '{}'::jsonb, "receivedAt", "receivedAt", 200
           FROM ref RETURNING id, "requestId", "bundleId"),
         ver AS (
           INSERT INTO "ReferralVersion" (id, "referralId", version, "fhirStatus", "messageId", summary, "createdAt")
           SELECT gen_random_uuid(), ref.id, 1, 'active', msg.id, 'Received', ref."receivedAt" FROM ref JOIN msg USING ("bundleId"))
         INSERT INTO "AuditEvent" (at, "actorType", "actorId", action, "entityType", "entityId", "patientNhs", "requestId", "correlationId", outcome)
         SELECT ref."receivedAt", 'SENDER', ref."sourceEndpoint", a.action, a.kind, ref.id::text, ref."patientNhsNumber", msg."requestId"::text, ref."correlationId"::text, 'success'
         FROM ref JOIN msg USING ("bundleId") CROSS JOIN (VALUES ('referral.receive', 'Referral'), ('fhir.POST /fhir/$process-message', NULL)) AS a(action, kind)`
    // Batches keep each statement's memory bounded (the history's joins are hash joins over the batch).
    const batch = opts.history ? 100_000 : 1_000_000
    const insert = async (count: number, stateSql: string) => {
      for (let done = 0; done < count; done += batch) {
        const n = Math.min(batch, count - done)
        await c.query(opts.history ? historySql(insertSql(stateSql)) : insertSql(stateSql), [serviceId, next, next + n - 1])
        next += n
      }
    }
    await insert(opts.open, `'NEW'::"ReferralState"`)
    await insert(opts.closed, `(ARRAY[${CLOSED_STATES.map((s) => `'${s}'`).join(',')}]::"ReferralState"[])[1 + (n % ${CLOSED_STATES.length})]`)
    await c.query('DELETE FROM "ReferralStateCount"')
    await c.query(`INSERT INTO "ReferralStateCount" ("serviceId", state, shard, n) SELECT "serviceId", state, 0, count(*)::int FROM "Referral" GROUP BY 1, 2`)
    await c.query('COMMIT')
    // A long-running database is vacuumed and checkpointed; a table bulk-loaded a moment ago is
    // not (autovacuum and the checkpoint would run during the next measurement).
    await c.query(opts.history ? 'VACUUM ANALYZE' : 'VACUUM ANALYZE "Referral"')
    await c.query('CHECKPOINT')
  } finally {
    await c.end()
  }
}

export async function countReferrals(url: string): Promise<{ total: number; open: number }> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const { rows } = await c.query<{ total: string; open: string }>(`SELECT count(*) AS total, count(*) FILTER (WHERE state = 'NEW') AS open FROM "Referral"`)
    return { total: Number(rows[0]!.total), open: Number(rows[0]!.open) }
  } finally {
    await c.end()
  }
}

export async function countStored(url: string, bundleIds: string[]): Promise<number> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM "Referral" WHERE "bundleId" = ANY($1)`, [bundleIds])
    return Number(rows[0]!.n)
  } finally {
    await c.end()
  }
}

export interface TWorklistTiming {
  open: number
  apiCalls: number
  apiP50: number
  apiP95: number
  firstRowRuns: number
  firstRowMedian: number
  firstRowMax: number
  /** Navigation Timing responseStart: the server's share of the page load. */
  firstByteMedian: number
  apiBytes: number
}

/**
 * In Chromium (/usr/bin/chromium): sign in as the demo clinician, then time GET /api/referrals (the
 * worklist API, New tab, all services) and, from navigation start, the first inbox row on screen.
 */
export async function timeWorklist(base: string, open: number, calls: number, pageLoads: number): Promise<TWorklistTiming> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'] })
  try {
    const context = await browser.newContext({ baseURL: base, timezoneId: 'Europe/London', locale: 'en-GB' })
    const page = await context.newPage()
    await page.goto('/sign-in')
    await page.getByLabel('Email address').fill('clinician@demo.nhs.uk')
    await page.getByLabel('Password').fill('Demo-password-1')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(/\/inbox/, { timeout: 60_000 })
    const api: number[] = []
    let apiBytes = 0
    for (let i = 0; i < calls + 3; i++) {
      const t = performance.now()
      const res = await context.request.get('/api/referrals')
      const body = await res.body()
      if (res.status() !== 200) throw new Error(`GET /api/referrals answered ${res.status()}`)
      if (i >= 3) api.push(performance.now() - t)
      apiBytes = body.length
    }
    // The browser's own clock, from navigation start: when the server's first byte arrived
    // (responseStart) and when the first row's text was painted (Element Timing on the row's
    // `elementtiming` cell). Not Playwright's polling, which adds up to 500 ms of its own back-off.
    // Each load starts once the previous page's own follow-up requests (Next's link prefetches) have
    // been answered: a clinician opens the inbox, they do not reload it twice a second, and a load
    // timed while the server still renders the last page's prefetches measures that queue (first
    // byte 200–300 ms back to back, about 90 ms once they are answered). The live event stream
    // stays open by design and is not waited for.
    const pending = new Set<unknown>()
    page.on('request', (r) => void (r.url().includes('/api/events') || pending.add(r)))
    page.on('requestfinished', (r) => void pending.delete(r))
    page.on('requestfailed', (r) => void pending.delete(r))
    const quiet = async () => {
      const until = Date.now() + 10_000
      for (let calm = 0; calm < 6 && Date.now() < until; ) {
        await new Promise((r) => setTimeout(r, 50))
        calm = pending.size === 0 ? calm + 1 : 0
      }
    }
    const rows: number[] = []
    const firstByte: number[] = []
    for (let i = 0; i < pageLoads + 1; i++) {
      await quiet()
      await page.goto('/inbox', { waitUntil: 'load' })
      await page.locator('[data-testid="inbox-row"]').first().waitFor({ state: 'visible', timeout: 60_000 })
      const t = await page.evaluate(
        () =>
          new Promise<{ row: number; firstByte: number }>((resolve, reject) => {
            const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
            setTimeout(() => reject(new Error('no element timing entry for the inbox rows')), 10_000)
            new PerformanceObserver((list) => {
              const times = list.getEntries().map((e) => (e as unknown as { renderTime: number; loadTime: number }).renderTime || (e as unknown as { loadTime: number }).loadTime)
              resolve({ row: Math.min(...times), firstByte: nav.responseStart })
            }).observe({ type: 'element', buffered: true })
          }),
      )
      if (i >= 1) {
        rows.push(t.row)
        firstByte.push(t.firstByte)
      }
    }
    return {
      open, apiCalls: api.length, apiP50: pct(api, 50), apiP95: pct(api, 95), firstRowRuns: rows.length, firstRowMedian: pct(rows, 50), firstRowMax: Math.max(...rows),
      firstByteMedian: pct(firstByte, 50), apiBytes,
    }
  } finally {
    await browser.close()
  }
}

export interface TSqlProfile {
  messages: number
  answers: Record<number, number>
  statementsPerMessage: number
  commitsPerMessage: number
  dbMsPerMessage: number
  top: { perMessage: number; ms: number; query: string }[]
}

/**
 * What the database does per message: sends `messages` fresh REFREQ01 copies at c=4 and reads
 * pg_stat_statements (statements, BEGIN/COMMIT included) and pg_stat_database (commits) around
 * them. Needs PostgreSQL started with shared_preload_libraries = 'pg_stat_statements'.
 */
export async function profileSql(ingestUrl: string, databaseUrl: string, messages: number): Promise<TSqlProfile> {
  const { ingestRequest, post } = await import('./bench-lib')
  const db = new pg.Client({ connectionString: databaseUrl })
  await db.connect()
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
    const answers: Record<number, number> = {}
    const send = async (n: number) => {
      let next = 0
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next++ < n) {
            const r = ingestRequest()
            const a = await post(ingestUrl, r.headers, r.body)
            answers[a.status] = (answers[a.status] ?? 0) + 1
          }
        }),
      )
    }
    // Backends report their transaction counts up to a second late: let the previous part's settle.
    await new Promise((r) => setTimeout(r, 2000))
    await db.query('SELECT pg_stat_statements_reset()')
    const commits = async () => Number((await db.query<{ c: string }>('SELECT xact_commit AS c FROM pg_stat_database WHERE datname = current_database()')).rows[0]!.c)
    const before = await commits()
    await send(messages)
    await new Promise((r) => setTimeout(r, 2000)) // pg_stat_database is updated after the fact
    const after = await commits()
    const { rows } = await db.query<{ calls: string; ms: string; query: string }>(
      `SELECT calls, total_exec_time AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query NOT LIKE '%pg_stat%' ORDER BY calls DESC, total_exec_time DESC`,
    )
    const total = rows.reduce((a, r) => a + Number(r.calls), 0)
    const execMs = rows.reduce((a, r) => a + Number(r.ms), 0)
    return {
      messages,
      answers,
      statementsPerMessage: total / messages,
      // Less the two reads of pg_stat_database (each is a transaction of this client).
      commitsPerMessage: (after - before - 2) / messages,
      dbMsPerMessage: execMs / messages,
      top: rows.slice(0, 15).map((r) => ({ perMessage: Number(r.calls) / messages, ms: Number(r.ms) / Number(r.calls), query: r.query })),
    }
  } finally {
    await db.end()
  }
}
