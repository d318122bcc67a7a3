/**
 * The GET /fhir/Slot part of `npm run bench` (kept from the first bench): 100,000 arrival windows across
 * 50 services (2,000 each: 100 days × 20 half-hour windows, about a third with bookings, a few full or
 * blocked), then the route handler called in-process (header checks, query parsing, service lookup,
 * access control, the SQL, searchset, JSON) for one London day of one service. Target p95 <= 20 ms.
 */
import os from 'node:os'
import pg from 'pg'
import { pct } from './bench-lib'

const SERVICES = 50
const DAYS = 100
const WINDOWS_PER_DAY = 20 // 08:00–18:00, 30 minutes
const WARM_UP = 100

export interface TSlotResult {
  windows: number
  slotsInAnswer: number
  runs: number
  p50: number
  p95: number
  p99: number
}

/** databaseUrl: a migrated, empty database of its own. Sets DATABASE_URL for this process (the route runs in-process). */
export async function benchSlot(databaseUrl: string, runs: number): Promise<TSlotResult> {
  process.env.DATABASE_URL = databaseUrl
  console.log(`\nstoring ${SERVICES} services × ${DAYS * WINDOWS_PER_DAY} windows…`)
  const c = new pg.Client({ connectionString: databaseUrl })
  await c.connect()
  const t0 = Date.now()
  await c.query(`
    INSERT INTO "Service" (id, "dosServiceId", name, "odsCode", "useCases", "updatedAt")
    SELECT gen_random_uuid(), (900000000 + n)::text, 'Bench service ' || n, 'RB' || lpad(n::text, 3, '0'), ARRAY['a1t1'], now()
    FROM generate_series(1, ${SERVICES}) n`)
  await c.query(`INSERT INTO "Schedule" (id, "serviceId", name) SELECT gen_random_uuid(), id, 'Arrival windows' FROM "Service"`)
  await c.query(`
    INSERT INTO "Slot" (id, "serviceId", start, "end", capacity, booked, blocked, "scheduleId")
    SELECT gen_random_uuid(), sc."serviceId", w.start, w.start + interval '30 minutes', 3,
      CASE WHEN random() < 0.3 THEN 1 + floor(random() * 3)::int ELSE 0 END,
      random() < 0.02,
      sc.id
    FROM "Schedule" sc
    CROSS JOIN generate_series(0, ${DAYS - 1}) d
    CROSS JOIN generate_series(0, ${WINDOWS_PER_DAY - 1}) k
    CROSS JOIN LATERAL (
      SELECT ((date_trunc('day', now() AT TIME ZONE 'Europe/London') + d * interval '1 day' + interval '8 hours' + k * interval '30 minutes') AT TIME ZONE 'Europe/London') AS start
    ) w`)
  await c.query('VACUUM ANALYZE')
  const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM "Slot"')
  const { rows: svc } = await c.query<{ dosServiceId: string }>(`SELECT "dosServiceId" FROM "Service" ORDER BY "dosServiceId" OFFSET ${SERVICES / 2} LIMIT 1`)
  await c.end()
  console.log(`${rows[0]!.n} windows stored in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

  const { GET } = await import('@/app/fhir/Slot/route')
  const { londonDate, londonWallClockToUtc } = await import('@/lib/time/london')
  const { addDays } = await import('@/lib/slots/generate-slots')
  const day = addDays(londonDate(new Date()), 1)
  const iso = (d: Date) => d.toISOString().replace('Z', '+00:00')
  const query = new URLSearchParams([
    ['status', 'free,busy'],
    ['start', `ge${iso(londonWallClockToUtc(day, 0))}`],
    ['start', `le${iso(new Date(londonWallClockToUtc(addDays(day, 1), 0).getTime() - 1000))}`],
    ['Schedule.actor:HealthcareService', svc[0]!.dosServiceId],
    ['_include', 'Slot:schedule'],
    ['_include', 'Schedule:actor:HealthcareService'],
  ]).toString()
  const request = () =>
    new Request(`http://localhost/fhir/Slot?${query}`, {
      headers: { accept: 'application/fhir+json; version=1.0.0', 'x-request-id': crypto.randomUUID(), 'x-correlation-id': crypto.randomUUID() },
    })

  let slotsInAnswer = 0
  for (let i = 0; i < WARM_UP; i++) {
    const res = await GET(request())
    if (res.status !== 200) throw new Error(`GET /fhir/Slot answered ${res.status}: ${await res.text()}`)
    const body = (await res.json()) as { total: number }
    slotsInAnswer = body.total
  }
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    const res = await GET(request())
    await res.text()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  const mean = times.reduce((a, b) => a + b, 0) / times.length
  console.log(`\nGET /fhir/Slot — one day of one service (${slotsInAnswer} slots in the answer), ${rows[0]!.n} windows stored across ${SERVICES} services`)
  console.log(`${runs} sequential calls of the route handler, in-process, after ${WARM_UP} warm-up calls; ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`)
  console.log(`p50 ${pct(times, 50).toFixed(2)} ms   p95 ${pct(times, 95).toFixed(2)} ms   p99 ${pct(times, 99).toFixed(2)} ms   mean ${mean.toFixed(2)} ms   max ${times.at(-1)!.toFixed(2)} ms`)
  console.log(pct(times, 95) <= 20 ? 'target p95 <= 20 ms: met' : 'target p95 <= 20 ms: NOT met')
  const { prisma } = await import('@/lib/db/prisma')
  await prisma().$disconnect()
  return { windows: Number(rows[0]!.n), slotsInAnswer, runs, p50: pct(times, 50), p95: pct(times, 95), p99: pct(times, 99) }
}
