/**
 * `npm run fuzz -- --cases 100000 [--seed N] [--workers W]` — the long fuzz run of
 * POST /fhir/$process-message (issue 9). Not a test: `lib/messages/fuzz.int.test.ts` is the short
 * seeded run inside `npm test`.
 *
 * Starts a throwaway embedded PostgreSQL, migrates and seeds a template database, clones one
 * database per worker process, and has each worker run its share of the seeds through the real
 * route handler in process (lib/testing/fuzz-runner.ts: never a 5xx, no domain row written by a
 * rejection, every rejection a BaRS OperationOutcome with both ids, retries answered the same, a
 * sample checked by the R4 validator). Prints the count, statuses, 5xx, partial writes and each
 * failure with its seed (`--seed <seed> --cases 1 --workers 1` replays one); exits 1 on any failure.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import pg from 'pg'
import { freePort, startEmbeddedPostgres } from './embedded-postgres.mjs'

const root = path.resolve(import.meta.dirname, '..')
const LIMIT = 256 * 1024

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number`)
  return v
}

const workerEnv: Record<string, string> = { BARS_LOG: 'silent', NODE_ENV: 'test', BARS_MAX_BODY_BYTES: String(LIMIT), BARS_SENDER_RATE_LIMIT: '100000000', NEXTAUTH_SECRET: 'fuzz-only-secret-0123456789abcdef0123456789' }

function run(cmd: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env }, cwd: root })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${code})`))))
  })
}

/** In a worker process: run seeds [from, from + count) and print the summary as JSON. */
async function worker() {
  const from = arg('from', 0)
  const count = arg('count', 0)
  const { runCases } = await import('@/lib/testing/fuzz-runner')
  const { fhirIssues } = await import('@/lib/testing/fhir-validate')
  const validate = (r: Record<string, unknown>) =>
    fhirIssues(r as never)
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${i.details?.text ?? i.diagnostics ?? ''} @ ${(i.expression ?? []).join(', ')}`)
  const summary = await runCases(
    from,
    count,
    { limit: LIMIT, retryEvery: 25, validateEvery: 500, validate },
    (done, s) => console.log(`progress ${JSON.stringify({ done, byStatus: s.byStatus, fiveXx: s.fiveXx, partialWrites: s.partialWrites })}`),
    (f) => console.log(`failure ${JSON.stringify(f)}`),
  )
  console.log(`summary ${JSON.stringify(summary)}`)
  const { prisma } = await import('@/lib/db/prisma')
  await prisma().$disconnect()
}

interface TSummary {
  cases: number
  byStatus: Record<string, number>
  fiveXx: number
  partialWrites: number
  failures: { seed: number; status: number; description: string; problems: string[] }[]
  timings?: { generate: number; route: number; counts: number }
}

async function main() {
  const cases = arg('cases', 10_000)
  const seed = arg('seed', 1)
  const workers = Math.max(1, Math.min(arg('workers', Math.max(2, os.cpus().length + 1)), cases || 1))
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bars-fuzz-'))
  fs.chmodSync(tmp, 0o755)
  const db = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), database: 'postgres' })
  const started = Date.now()
  try {
    const adminUrl = db.url as string
    const urlOf = (name: string) => {
      const u = new URL(adminUrl)
      u.pathname = `/${name}`
      return u.toString()
    }
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query('CREATE DATABASE bars_fuzz_template')
    await run(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], { DATABASE_URL: urlOf('bars_fuzz_template') })
    await run(path.join(root, 'node_modules/.bin/tsx'), ['prisma/seed.ts'], { DATABASE_URL: urlOf('bars_fuzz_template'), BARS_LOG: 'silent' })
    for (let w = 0; w < workers; w++) await admin.query(`CREATE DATABASE bars_fuzz_${w} TEMPLATE bars_fuzz_template`)
    await admin.end()

    console.log(`fuzzing POST /fhir/$process-message: ${cases} cases from seed ${seed}, ${workers} worker processes, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`)
    const share = Math.ceil(cases / workers)
    const loopStarted = Date.now()
    const progress = Array.from({ length: workers }, () => ({ done: 0, byStatus: {} as Record<string, number>, fiveXx: 0, partialWrites: 0 }))
    const failures: TSummary['failures'] = []
    let lastPrint = 0
    const line = () => {
      const done = progress.reduce((a, p) => a + p.done, 0)
      const s = (Date.now() - loopStarted) / 1000
      const fiveXx = progress.reduce((a, p) => a + p.fiveXx, 0)
      const partial = progress.reduce((a, p) => a + p.partialWrites, 0)
      return `${done}/${cases} cases, ${(done / s).toFixed(1)}/s, ${Math.round(s)} s — 5xx ${fiveXx}, partial writes ${partial}, failures ${failures.length}`
    }
    // An interrupted run still says how far it got.
    process.once('SIGTERM', () => {
      console.log(`\ninterrupted: ${line()}`)
      for (const f of failures.slice(0, 50)) console.log(`  seed ${f.seed} (${f.description}) → ${f.status}: ${f.problems.join('; ')}`)
      process.exit(3)
    })
    const results = await Promise.all(
      Array.from({ length: workers }, (_, w) => {
        const from = seed + w * share
        const count = Math.max(0, Math.min(share, cases - w * share))
        return new Promise<TSummary>((resolve, reject) => {
          const profile = process.env.FUZZ_CPU_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.FUZZ_CPU_PROFILE_DIR] : []
          const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(root, 'scripts/fuzz.ts'), '--worker', '--from', String(from), '--count', String(count)], {
            cwd: root,
            stdio: ['ignore', 'pipe', 'inherit'],
            env: { ...process.env, ...workerEnv, DATABASE_URL: urlOf(`bars_fuzz_${w}`) } as NodeJS.ProcessEnv,
          })
          let summary: TSummary | undefined
          readline.createInterface({ input: child.stdout! }).on('line', (text) => {
            if (text.startsWith('progress ')) {
              progress[w] = JSON.parse(text.slice(9)) as (typeof progress)[number]
              if (Date.now() - lastPrint > 30_000) {
                lastPrint = Date.now()
                console.log(`  ${line()}`)
              }
            } else if (text.startsWith('failure ')) {
              const f = JSON.parse(text.slice(8)) as TSummary['failures'][number]
              failures.push(f)
              console.log(`  FAILURE seed ${f.seed} (${f.description}) → ${f.status}: ${f.problems.join('; ')}`)
            } else if (text.startsWith('summary ')) summary = JSON.parse(text.slice(8)) as TSummary
          })
          child.on('exit', (code) => (summary && code === 0 ? resolve(summary) : reject(new Error(`fuzz worker ${w} exited ${code}`))))
        })
      }),
    )
    const total: TSummary & { timings?: undefined } = { cases: 0, byStatus: {}, fiveXx: 0, partialWrites: 0, failures: [] }
    for (const r of results) {
      total.cases += r.cases
      total.fiveXx += r.fiveXx
      total.partialWrites += r.partialWrites
      total.failures.push(...r.failures)
      for (const [k, v] of Object.entries(r.byStatus)) total.byStatus[k] = (total.byStatus[k] ?? 0) + v
    }
    const t = results.reduce((a, r) => ({ generate: a.generate + (r.timings?.generate ?? 0), route: a.route + (r.timings?.route ?? 0), counts: a.counts + (r.timings?.counts ?? 0) }), { generate: 0, route: 0, counts: 0 })
    console.log(`time per case (ms, summed over workers): making requests ${(t.generate / total.cases).toFixed(1)}, route handler ${(t.route / total.cases).toFixed(1)}, row counts ${(t.counts / total.cases).toFixed(1)}`)
    const secs = (Date.now() - started) / 1000
    console.log(`\n${total.cases} cases in ${secs.toFixed(0)} s (${(total.cases / secs).toFixed(0)} cases/s)`)
    console.log(`statuses: ${Object.entries(total.byStatus).map(([k, v]) => `${k}×${v}`).join('  ')}`)
    console.log(`5xx: ${total.fiveXx}   partial writes: ${total.partialWrites}   failures: ${total.failures.length}`)
    for (const f of total.failures.slice(0, 50)) console.log(`  seed ${f.seed} (${f.description}) → ${f.status}: ${f.problems.join('; ')}`)
    if (total.failures.length > 50) console.log(`  … and ${total.failures.length - 50} more`)
    if (total.failures.length) process.exitCode = 1
  } finally {
    await db.stop()
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

const isWorker = process.argv.includes('--worker')
;(isWorker ? worker() : main()).then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e)
    process.exit(2)
  },
)
