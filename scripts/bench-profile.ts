/**
 * `npx tsx scripts/bench-profile.ts <base-url> <database-url> [messages]` — one profiling pass of the
 * ingest path against a running server (e.g. `next start` with NODE_OPTIONS=--cpu-prof): warms up,
 * resets pg_stat_statements (needs shared_preload_libraries = 'pg_stat_statements' and the extension
 * in the database), sends `messages` fresh REFREQ01 copies at c=4, then prints statements and commits
 * per message from pg_stat_statements and pg_stat_database. Not part of `npm run bench`.
 */
import pg from 'pg'
import { ingestRequest, post } from './bench-lib'

const [base, databaseUrl, countArg] = process.argv.slice(2)
if (!base || !databaseUrl) throw new Error('usage: bench-profile.ts <base-url> <database-url> [messages]')
const messages = Number(countArg ?? 300)
const url = `${base}/fhir/$process-message`

async function send(n: number, c: number) {
  let next = 0
  const statuses: Record<number, number> = {}
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next++ < n) {
        const r = ingestRequest()
        const a = await post(url, r.headers, r.body)
        statuses[a.status] = (statuses[a.status] ?? 0) + 1
      }
    }),
  )
  return statuses
}

const db = new pg.Client({ connectionString: databaseUrl })
await db.connect()
await send(100, 4)
await db.query('SELECT pg_stat_statements_reset()')
const before = await db.query<{ c: string }>('SELECT xact_commit AS c FROM pg_stat_database WHERE datname = current_database()')
const t = performance.now()
const statuses = await send(messages, 4)
const seconds = (performance.now() - t) / 1000
await new Promise((r) => setTimeout(r, 1000))
const after = await db.query<{ c: string }>('SELECT xact_commit AS c FROM pg_stat_database WHERE datname = current_database()')
const { rows } = await db.query<{ calls: string; ms: string; query: string }>(
  `SELECT calls, round(total_exec_time::numeric, 1) AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
   FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC, total_exec_time DESC`,
)
const total = rows.reduce((a, r) => a + Number(r.calls), 0)
const execMs = rows.reduce((a, r) => a + Number(r.ms), 0)
console.log(`answers ${JSON.stringify(statuses)} in ${seconds.toFixed(1)} s (${(messages / seconds).toFixed(1)} msg/s at c=4)`)
console.log(`statements per message: ${(total / messages).toFixed(1)}; commits per message: ${((Number(after.rows[0]!.c) - Number(before.rows[0]!.c)) / messages).toFixed(2)} (includes this script's own few); DB execution ${(execMs / messages).toFixed(2)} ms per message`)
for (const r of rows.slice(0, 40)) console.log(`${(Number(r.calls) / messages).toFixed(2).padStart(6)} × ${(Number(r.ms) / Number(r.calls)).toFixed(3).padStart(7)} ms  ${r.query}`)
await db.end()
