/**
 * `npm run bench` — not a test: speed and memory of BaRS Inbox on this machine, written to
 * bench/results/latest.md and latest.json (issue 10). Speed goals live here, never in timed tests.
 *
 *   npm run bench                          # everything (well under 30 minutes on the 2-core machine)
 *   npm run bench -- --quick               # shorter runs, 100k instead of 1M stored referrals
 *   npm run bench -- --only ingest,worklist
 *
 * Parts: slot (GET /fhir/Slot in process, 100k windows), ingest (closed loop c=1/4/16/64, alternating
 * $process-message / a bare Next route echoing the same body / a raw node:http echo, in rounds),
 * openloop (50 msg/s for 60 s, latency from the schedule), overload (4× the sustainable rate: only
 * 200 and 503/429 with Retry-After, 0 × 500, every 200 stored), worklist (GET /api/referrals and the
 * first inbox row in Chromium at 10k and 100k open referrals), scale (ingest p95 at 1k vs 1M stored).
 * Peak server RSS (the web server process tree) is sampled throughout.
 *
 * It starts its own embedded PostgreSQL (or uses BENCH_DATABASE_ADMIN_URL), builds the app with
 * BARS_BENCH_BUILD=1 into .next-bench (adds the bench-only echo route; skipped when up to date) and
 * runs the production web server (scripts/web-server.mjs: `next` behind the front door) with the memory flags scripts/start.mjs uses.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { closedLoop, cpuSnapshot, fmt, ingestRequest, median, openLoop, post, rssSampler, sleep, type TClosedLoop, type TOpenLoop } from './bench-lib'
import { countReferrals, countStored, profileSql, seedReferrals, timeWorklist, type TSqlProfile, type TWorklistTiming } from './bench-parts'
import { benchSlot, type TSlotResult } from './bench-slot'
import { freePort, startEmbeddedPostgres } from './embedded-postgres.mjs'

const root = path.resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const onlyArg = args.find((a) => a.startsWith('--only'))
const ALL_PARTS = ['slot', 'sql', 'ingest', 'openloop', 'overload', 'worklist', 'scale'] as const
type TPart = (typeof ALL_PARTS)[number]
const only = new Set<string>(onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',') : ALL_PARTS)
const want = (p: TPart) => only.has(p)
for (const p of only) if (!(ALL_PARTS as readonly string[]).includes(p)) throw new Error(`unknown part ${p}; parts: ${ALL_PARTS.join(',')}`)

const cfg = quick
  ? { rounds: 1, seconds: 3, openSeconds: 15, overloadSeconds: 8, big: 100_000, apiCalls: 15, pageLoads: 3, slotRuns: 300, scaleSeconds: 5 }
  : { rounds: 3, seconds: 6, openSeconds: 60, overloadSeconds: 20, big: 1_000_000, apiCalls: 40, pageLoads: 5, slotRuns: 1000, scaleSeconds: 10 }
const CONCURRENCY = [1, 4, 16, 64]
/** The heap flags scripts/start.mjs gives the web server (keep the two in step). */
// BENCH_PG_FLAGS: extra settings for the embedded PostgreSQL, e.g. "-c shared_buffers=1GB".
const PG_FLAGS = (process.env.BENCH_PG_FLAGS ?? '').split(' ').filter(Boolean)
const SERVER_NODE_OPTIONS = process.env.BENCH_SERVER_NODE_OPTIONS ?? '--max-old-space-size=256 --max-semi-space-size=16'

const log = (m: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`)

function run(cmd: string, argv: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: 'inherit', env: { ...process.env, ...env }, cwd: root })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} failed (${code})`))))
  })
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = dbUrl(adminUrl, name)
  await run(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], { DATABASE_URL: url })
  return url
}

function dbUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

function newestMtime(dirs: string[]): number {
  let newest = 0
  const walk = (p: string) => {
    const st = fs.statSync(p)
    if (st.isDirectory()) {
      for (const f of fs.readdirSync(p)) if (f !== 'node_modules' && !f.startsWith('.')) walk(path.join(p, f))
    } else newest = Math.max(newest, st.mtimeMs)
  }
  for (const d of dirs) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d))
  return newest
}

async function ensureBenchBuild(databaseUrl: string) {
  const id = path.join(root, '.next-bench', 'BUILD_ID')
  if (fs.existsSync(id) && fs.statSync(id).mtimeMs > newestMtime(['app', 'components', 'lib', 'public', 'proxy.ts', 'next.config.js', 'package.json', 'prisma/schema.prisma'])) {
    log('bench build is up to date (.next-bench)')
    return
  }
  log('building the app with BARS_BENCH_BUILD=1 into .next-bench …')
  // next build adds its distDir's type folders to tsconfig.json; the bench build must not change the repository.
  const tsconfig = fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')
  try {
    await run(path.join(root, 'node_modules/.bin/next'), ['build'], { BARS_BENCH_BUILD: '1', NODE_ENV: 'production', DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: 'bench-only-secret-0123456789abcdef0123456789' })
  } finally {
    fs.writeFileSync(path.join(root, 'tsconfig.json'), tsconfig)
  }
}

async function waitHttp(url: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      return
    } catch {
      await sleep(300)
    }
  }
  throw new Error(`${url} did not answer`)
}

function startServer(port: number, databaseUrl: string, logName = 'server.log'): ChildProcess {
  const out = fs.openSync(path.join(root, 'bench', 'results', logName), 'w')
  // BENCH_SERVER_NODE_ARGS: flags NODE_OPTIONS may not carry, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (a profile per process, written at exit).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
  // BENCH_NEXT_START=1: plain `next start` instead of the web server (to measure what the front door costs).
  const server = process.env.BENCH_NEXT_START ? [path.join(root, 'node_modules/next/dist/bin/next'), 'start'] : [path.join(root, 'scripts/web-server.mjs')]
  return spawn(process.execPath, [...nodeArgs, ...server, '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NODE_OPTIONS: SERVER_NODE_OPTIONS,
      BARS_BENCH_BUILD: '1',
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: 'bench-only-secret-0123456789abcdef0123456789',
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      BARS_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // The bench measures the pipeline, not the per-sender/per-user limits.
      BARS_SENDER_RATE_LIMIT: '100000000',
      BARS_USER_RATE_LIMIT: '100000000',
      LOG_LEVEL: 'warn',
    },
  })
}

const RAW_ECHO = `require('node:http').createServer((q, s) => { const c = []; q.on('data', (d) => c.push(d)); q.on('end', () => { s.writeHead(200, { 'content-type': 'application/fhir+json' }); s.end(Buffer.concat(c)) }) }).listen(Number(process.argv[1]), '127.0.0.1')`

interface TResults {
  date: string
  machine: { cpus: number; cpuModel: string; memGiB: number; node: string; loadBefore: number[]; loadAfter?: number[] }
  mode: 'quick' | 'full'
  parts: string[]
  serverNodeOptions: string
  slot?: TSlotResult
  ingest?: { c: number; ingest: number; bare: number; raw: number; ratio: number; ingestP95: number; shed: number; errors500: number; rounds: TClosedLoop[]; cpu?: { ingest: TCpuPer; bare: TCpuPer } }[]
  openloop?: Omit<TOpenLoop, 'okBundles'> & { stored: number; ok: number }
  overload?: Omit<TOpenLoop, 'okBundles'> & { stored: number; ok: number; sustainable: number }
  worklist?: TWorklistTiming[]
  scale?: { small: TScaleSide; big: TScaleSide; ratio: number }
  sql?: TSqlProfile
  rss: Record<string, number>
}

async function main() {
  Object.assign(process.env, { NEXT_TELEMETRY_DISABLED: '1', CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1', BARS_LOG: 'silent', LOG_LEVEL: 'silent' })
  fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true })
  const results: TResults = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadBefore: os.loadavg() },
    mode: quick ? 'quick' : 'full',
    parts: [...only],
    serverNodeOptions: SERVER_NODE_OPTIONS,
    rss: {},
  }
  let stopDb = async () => {}
  let tmp: string | undefined
  let adminUrl = process.env.BENCH_DATABASE_ADMIN_URL
  const children: ChildProcess[] = []
  try {
    if (!adminUrl) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bars-bench-'))
      fs.chmodSync(tmp, 0o755)
      const db = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), database: 'postgres', flags: ['-c', 'shared_preload_libraries=pg_stat_statements', ...PG_FLAGS] })
      adminUrl = db.url as string
      stopDb = () => db.stop()
    }

    if (want('slot')) {
      log('slot: GET /fhir/Slot over 100,000 windows, in process')
      results.slot = await benchSlot(await createDatabase(adminUrl, 'bars_bench_slot'), cfg.slotRuns)
      log(`slot p95 ${fmt(results.slot.p95, 2)} ms`)
    }

    const serverParts = ALL_PARTS.filter((p) => p !== 'slot' && p !== 'scale' && want(p))
    if (serverParts.length || want('scale')) {
      const databaseUrl = await createDatabase(adminUrl, 'bars_bench')
      await run(path.join(root, 'node_modules/.bin/tsx'), ['prisma/seed.ts'], { DATABASE_URL: databaseUrl, NODE_ENV: 'production' })
      await ensureBenchBuild(databaseUrl)
      if (want('scale')) {
        const scale = await benchScale(adminUrl, cfg)
        results.scale = scale.result
        results.rss.scale = scale.peakRss
      }
    }
    if (serverParts.length) {
      const databaseUrl = dbUrl(adminUrl, 'bars_bench')
      const port = await freePort()
      const rawPort = await freePort()
      const server = startServer(port, databaseUrl)
      children.push(server)
      const raw = spawn(process.execPath, ['-e', RAW_ECHO, String(rawPort)], { stdio: 'ignore' })
      children.push(raw)
      const base = `http://127.0.0.1:${port}`
      await waitHttp(`${base}/fhir/metadata`)
      const rss = rssSampler(() => server.pid)
      const phase = (name: string) => {
        results.rss[name] = Math.round(rss.peak())
        rss.reset()
      }
      const ingestUrl = `${base}/fhir/$process-message`
      const bareUrl = `${base}/fhir/bench-echo`
      const rawUrl = `http://127.0.0.1:${rawPort}/`
      // Warm up every target (JIT, Prisma's first queries, Next's route compilation on first hit).
      log('warming up')
      await closedLoop(ingestUrl, 4, quick ? 3 : 6)
      await closedLoop(bareUrl, 4, 2)
      await closedLoop(rawUrl, 4, 1)
      phase('warm-up')

      if (want('sql')) {
        log('sql: statements and commits per message (pg_stat_statements), 300 messages at c=4')
        results.sql = await profileSql(ingestUrl, databaseUrl, 300)
        log(`  ${fmt(results.sql.statementsPerMessage)} statements, ${fmt(results.sql.commitsPerMessage)} commits per message`)
      }

      // The ingest parts run with 1k stored referrals (as they always have: figures stay comparable).
      const have = await countReferrals(databaseUrl)
      if (have.total < 1000) await seedReferrals(databaseUrl, { open: 1000 - have.total, closed: 0 })

      if (want('ingest')) {
        log(`ingest: ${cfg.rounds} round(s) × c=${CONCURRENCY.join('/')} × (ingest, bare route, raw node:http), ${cfg.seconds} s each`)
        const byC = new Map<number, { ingest: TClosedLoop[]; bare: TClosedLoop[]; raw: TClosedLoop[]; cpuIngest: TCpuPer[]; cpuBare: TCpuPer[] }>()
        // CPU per answer of each side (web server tree, PostgreSQL, this load generator): what the 2 cores spend.
        const withCpu = async (url: string, c: number, into: TCpuPer[]) => {
          const a = cpuSnapshot(server.pid)
          const r = await closedLoop(url, c, cfg.seconds)
          const b = cpuSnapshot(server.pid)
          const n = Math.max(1, r.ok)
          // (a process that ended between the snapshots, e.g. a PostgreSQL backend, can make a side a hair negative)
          const per = (x: number) => Math.max(0, x) / n
          into.push({ server: per(b.server - a.server), postgres: per(b.postgres - a.postgres), client: per(b.client - a.client) })
          return r
        }
        for (let round = 0; round < cfg.rounds; round++) {
          for (const c of CONCURRENCY) {
            const slot = byC.get(c) ?? { ingest: [], bare: [], raw: [], cpuIngest: [], cpuBare: [] }
            slot.ingest.push(await withCpu(ingestUrl, c, slot.cpuIngest))
            slot.bare.push(await withCpu(bareUrl, c, slot.cpuBare))
            slot.raw.push(await closedLoop(rawUrl, c, cfg.seconds))
            byC.set(c, slot)
            log(`  round ${round + 1} c=${c}: ingest ${fmt(slot.ingest.at(-1)!.perSecond)} msg/s, bare ${fmt(slot.bare.at(-1)!.perSecond)}, raw ${fmt(slot.raw.at(-1)!.perSecond)} req/s`)
          }
        }
        results.ingest = CONCURRENCY.map((c) => {
          const s = byC.get(c)!
          const ingest = median(s.ingest.map((x) => x.perSecond))
          const bare = median(s.bare.map((x) => x.perSecond))
          return {
            c,
            ingest,
            bare,
            raw: median(s.raw.map((x) => x.perSecond)),
            ratio: ingest / bare,
            ingestP95: median(s.ingest.map((x) => x.p95)),
            shed: s.ingest.reduce((a, x) => a + x.shed, 0),
            errors500: s.ingest.reduce((a, x) => a + x.errors500, 0),
            rounds: s.ingest,
            cpu: { ingest: medianCpu(s.cpuIngest), bare: medianCpu(s.cpuBare) },
          }
        })
        phase('ingest')
      }

      if (want('openloop')) {
        log(`openloop: 50 msg/s for ${cfg.openSeconds} s`)
        const r = await openLoop(ingestUrl, 50, cfg.openSeconds)
        const { okBundles, ...rest } = r
        results.openloop = { ...rest, ok: okBundles.length, stored: await countStored(databaseUrl, okBundles) }
        phase('openloop')
      }

      if (want('overload')) {
        const sustainable = results.ingest?.find((x) => x.c === 16)?.ingest ?? (await closedLoop(ingestUrl, 16, cfg.seconds)).perSecond
        const rate = Math.max(20, Math.round(sustainable * 4))
        log(`overload: ${rate} msg/s (4 × ${fmt(sustainable)}) for ${cfg.overloadSeconds} s`)
        const r = await openLoop(ingestUrl, rate, cfg.overloadSeconds)
        const { okBundles, ...rest } = r
        results.overload = { ...rest, ok: okBundles.length, stored: await countStored(databaseUrl, okBundles), sustainable }
        phase('overload')
        await sleep(2000)
      }

      if (want('worklist')) {
        results.worklist = []
        for (const target of [10_000, 100_000]) {
          const { open } = await countReferrals(databaseUrl)
          if (open < target) {
            log(`worklist: storing ${target - open} open referrals (SQL)`)
            await seedReferrals(databaseUrl, { open: target - open, closed: 0 })
          }
          log(`worklist: timing at ${target} open referrals in Chromium`)
          results.worklist.push(await timeWorklist(base, (await countReferrals(databaseUrl)).open, cfg.apiCalls, cfg.pageLoads))
        }
        phase('worklist')
      }

      rss.stop()
      // Sanity: the server still answers one referral properly.
      const check = ingestRequest()
      const last = await post(ingestUrl, check.headers, check.body)
      if (last.status !== 200) log(`warning: a final referral was answered ${last.status}`)
    }
  } finally {
    for (const c of children) c.kill('SIGTERM')
    await sleep(500)
    await stopDb()
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  }
  results.machine.loadAfter = os.loadavg()
  fs.writeFileSync(path.join(root, 'bench', 'results', 'latest.json'), JSON.stringify(results, null, 2) + '\n')
  const md = report(results)
  fs.writeFileSync(path.join(root, 'bench', 'results', 'latest.md'), md)
  console.log(`\n${md}`)
}

/** CPU milliseconds per answered request, by side (median of rounds). */
type TCpuPer = { server: number; postgres: number; client: number }

const medianCpu = (xs: TCpuPer[]): TCpuPer => ({ server: median(xs.map((x) => x.server)), postgres: median(xs.map((x) => x.postgres)), client: median(xs.map((x) => x.client)) })

type TScaleSide = { stored: number; p95: number; p50: number; perSecond: number; rounds: number[] }

/**
 * Ingest p95 with a small store against a big one, each in its own database with its own server
 * (same build, same settings), measured alternately in rounds so drift on the machine hits both
 * sides alike. Both stores are seeded with history (messages, versions, audit rows), so every index
 * the hot path writes is as big as the store.
 */
async function benchScale(adminUrl: string, cfg: { big: number; rounds: number; scaleSeconds: number }): Promise<{ result: NonNullable<TResults['scale']>; peakRss: number }> {
  const sides = [
    { name: 'small', size: 1000 },
    { name: 'big', size: cfg.big },
  ]
  const servers: { url: string; child: ChildProcess; stored: number; runs: TClosedLoop[] }[] = []
  try {
    for (const side of sides) {
      const url = await createDatabase(adminUrl, `bars_bench_${side.name}`)
      await run(path.join(root, 'node_modules/.bin/tsx'), ['prisma/seed.ts'], { DATABASE_URL: url, NODE_ENV: 'production' })
      const have = await countReferrals(url)
      log(`scale: storing ${side.size - have.total} closed referrals with their history in bars_bench_${side.name} (SQL)`)
      await seedReferrals(url, { open: 0, closed: side.size - have.total, history: true })
      const port = await freePort()
      const child = startServer(port, url, `server-scale-${side.name}.log`)
      servers.push({ url: `http://127.0.0.1:${port}/fhir/$process-message`, child, stored: (await countReferrals(url)).total, runs: [] })
      await waitHttp(`http://127.0.0.1:${port}/fhir/metadata`)
    }
    const rss = rssSampler(() => servers[1]!.child.pid)
    for (const s of servers) await closedLoop(s.url, 4, 3) // warm up (JIT, first queries)
    for (let round = 0; round < cfg.rounds; round++) {
      for (const s of servers) {
        s.runs.push(await closedLoop(s.url, 4, cfg.scaleSeconds))
        log(`  round ${round + 1}: ${s.stored} stored: p95 ${fmt(s.runs.at(-1)!.p95, 0)} ms`)
      }
    }
    const peakRss = Math.round(rss.peak())
    rss.stop()
    const side = (s: (typeof servers)[number]): TScaleSide => ({
      stored: s.stored,
      p95: median(s.runs.map((r) => r.p95)),
      p50: median(s.runs.map((r) => r.p50)),
      perSecond: median(s.runs.map((r) => r.perSecond)),
      rounds: s.runs.map((r) => r.p95),
    })
    const small = side(servers[0]!)
    const big = side(servers[1]!)
    return { result: { small, big, ratio: big.p95 / small.p95 }, peakRss }
  } finally {
    for (const s of servers) s.child.kill('SIGTERM')
    await sleep(500)
  }
}

const ok = (met: boolean) => (met ? 'met' : '**not met**')

function report(r: TResults): string {
  const L: string[] = []
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ')
  L.push(`# npm run bench — ${r.date.slice(0, 16).replace('T', ' ')} UTC (${r.mode})`, '')
  L.push(`Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memGiB} GiB, Node ${r.machine.node}; load average before ${load(r.machine.loadBefore)}, after ${load(r.machine.loadAfter ?? [])}.`)
  L.push(`Server: production build (.next-bench), \`scripts/web-server.mjs\` (Next behind the front door) with NODE_OPTIONS="${r.serverNodeOptions}", embedded PostgreSQL 17 on the same machine. Parts: ${r.parts.join(', ')}.`, '')
  if (r.sql) {
    L.push('## Database work per message (pg_stat_statements, 300 fresh REFREQ01 at c=4)', '')
    L.push(`Answers ${Object.entries(r.sql.answers).map(([k, v]) => `${k}×${v}`).join(' ')}; **${fmt(r.sql.statementsPerMessage)} statements and ${fmt(r.sql.commitsPerMessage, 2)} commits per message** (BEGIN and COMMIT counted as statements); database execution ${fmt(r.sql.dbMsPerMessage, 2)} ms per message.`, '')
    L.push('| per message | ms each | statement |', '|---|---|---|')
    for (const t of r.sql.top) L.push(`| ${fmt(t.perMessage, 2)} | ${fmt(t.ms, 3)} | \`${t.query.replace(/\|/g, '\\|').replace(/`/g, "'")}\` |`)
    L.push('')
  }
  if (r.ingest) {
    L.push('## Ingest, closed loop (median of rounds)', '')
    L.push(`| | ${r.ingest.map((x) => `c=${x.c}`).join(' | ')} |`, `|---|${r.ingest.map(() => '---').join('|')}|`)
    L.push(`| \`$process-message\`, fresh REFREQ01 copies (msg/s) | ${r.ingest.map((x) => fmt(x.ingest)).join(' | ')} |`)
    L.push(`| bare Next.js route, same body (req/s) | ${r.ingest.map((x) => fmt(x.bare)).join(' | ')} |`)
    L.push(`| raw node:http echo (req/s) | ${r.ingest.map((x) => fmt(x.raw)).join(' | ')} |`)
    L.push(`| ingest ÷ bare | ${r.ingest.map((x) => fmt(x.ratio, 2)).join(' | ')} |`)
    L.push(`| ingest p95 (ms) | ${r.ingest.map((x) => fmt(x.ingestP95, 0)).join(' | ')} |`)
    L.push(`| shed (503/429, all rounds) | ${r.ingest.map((x) => x.shed).join(' | ')} |`)
    L.push(`| 5xx other than 503 | ${r.ingest.map((x) => x.errors500).join(' | ')} |`, '')
    const c16 = r.ingest.find((x) => x.c === 16)
    if (c16) L.push(`Target ingest ≥ 0.5 × bare at c=16: ${fmt(c16.ratio, 2)} — ${ok(c16.ratio >= 0.5)}.`, '')
    if (r.ingest.every((x) => x.cpu)) {
      L.push(
        'CPU per answer (ms; user + system from /proc, median of rounds). The server, PostgreSQL and the load generator share the 2 cores, so the sum bounds the rate:',
        '',
        `| | ${r.ingest.map((x) => `c=${x.c}`).join(' | ')} |`,
        `|---|${r.ingest.map(() => '---').join('|')}|`,
      )
      const rows = r.ingest
      const row = (label: string, pick: (x: { ingest: TCpuPer; bare: TCpuPer }) => TCpuPer) =>
        L.push(`| ${label} | ${rows.map((x) => { const c = pick(x.cpu!); return `${fmt(c.server)} + ${fmt(c.postgres)} + ${fmt(c.client)} = ${fmt(c.server + c.postgres + c.client)}` }).join(' | ')} |`)
      row('ingest: server + PostgreSQL + client', (c) => c.ingest)
      row('bare route: server + PostgreSQL + client', (c) => c.bare)
      L.push('')
    }
  }
  const loop = (name: string, o: NonNullable<TResults['openloop']>) => {
    const statuses = Object.entries(o.byStatus).map(([s, n]) => `${s === '0' ? 'no answer' : s}: ${n}`).join(', ')
    L.push(`| ${name} | ${o.rate} msg/s × ${o.seconds} s | ${statuses} | ${fmt(o.p50, 0)} | ${fmt(o.p90, 0)} | ${fmt(o.p99, 0)} | ${fmt(o.max, 0)} | ${o.stored} of ${o.ok} |`)
  }
  if (r.openloop || r.overload) {
    L.push('## Open loop (latency from the schedule, ms)', '')
    L.push('| Run | Rate | Answers | p50 | p90 | p99 | max | 200s stored |', '|---|---|---|---|---|---|---|---|')
    if (r.openloop) loop('steady', r.openloop)
    if (r.overload) loop(`overload (4 × ${fmt(r.overload.sustainable)} msg/s)`, r.overload)
    L.push('')
    if (r.openloop) {
      const all200 = (r.openloop.byStatus['200'] ?? 0) === r.openloop.sent
      L.push(`Target 50 msg/s for ${r.openloop.seconds} s, every answer 200 and p99 ≤ 100 ms: ${ok(all200 && r.openloop.p99 <= 100)} (${all200 ? 'all 200' : 'not all 200'}, p99 ${fmt(r.openloop.p99, 0)} ms).`)
    }
    if (r.overload) {
      const bad = Object.entries(r.overload.byStatus).filter(([s]) => !['200', '503', '429'].includes(s))
      L.push(`Target at 4× the sustainable rate only 200 and 503/429 with Retry-After, 0 × 500, every 200 stored: ${ok(!bad.length && r.overload.shedWithoutRetryAfter === 0 && r.overload.stored === r.overload.ok)}.`)
    }
    L.push('')
  }
  if (r.worklist) {
    L.push('## Inbox (Chromium, signed in as the clinician; New tab, all services)', '')
    L.push('First byte and first row are the browser\'s own timings from navigation start (Navigation Timing `responseStart`; Element Timing of the first row\'s text).', '')
    L.push('| Open referrals | GET /api/referrals p50 | p95 | payload | page first byte (median) | first inbox row painted (median) | max |', '|---|---|---|---|---|---|---|')
    for (const w of r.worklist) L.push(`| ${w.open.toLocaleString('en-GB')} | ${fmt(w.apiP50, 0)} ms | ${fmt(w.apiP95, 0)} ms | ${Math.round(w.apiBytes / 1024)} KiB | ${fmt(w.firstByteMedian, 0)} ms | ${fmt(w.firstRowMedian, 0)} ms | ${fmt(w.firstRowMax, 0)} ms |`)
    const big = r.worklist.at(-1)!
    L.push('', `Target at ${big.open.toLocaleString('en-GB')} open: API p95 ≤ 150 ms ${ok(big.apiP95 <= 150)}, first row ≤ 500 ms ${ok(big.firstRowMedian <= 500)}.`, '')
  }
  if (r.scale) {
    L.push('## Ingest at scale (c=4)', '')
    L.push(
      'Two databases, each with its referrals\' history (message, version, two audit rows each), each served by its own server; measured alternately, median of rounds.',
      '',
    )
    L.push('| Stored referrals | msg/s | p50 | p95 | p95 per round |', '|---|---|---|---|---|')
    for (const s of [r.scale.small, r.scale.big])
      L.push(`| ${s.stored.toLocaleString('en-GB')} | ${fmt(s.perSecond)} | ${fmt(s.p50, 0)} ms | ${fmt(s.p95, 0)} ms | ${(s.rounds ?? []).map((x) => fmt(x, 0)).join(' / ')} |`)
    L.push('', `Target p95 at the larger store within 10% of the smaller: ${fmt(r.scale.ratio, 2)}× — ${ok(r.scale.ratio <= 1.1)}.`, '')
  }
  if (r.slot) {
    L.push('## GET /fhir/Slot (in process)', '')
    L.push(`${r.slot.runs} calls over ${r.slot.windows.toLocaleString('en-GB')} windows (${r.slot.slotsInAnswer} in the answer): p50 ${fmt(r.slot.p50, 2)} ms, p95 ${fmt(r.slot.p95, 2)} ms, p99 ${fmt(r.slot.p99, 2)} ms — target p95 ≤ 20 ms ${ok(r.slot.p95 <= 20)}.`, '')
  }
  if (Object.keys(r.rss).length) {
    L.push('## Peak server RSS (web server process tree, MiB)', '')
    L.push(`| ${Object.keys(r.rss).join(' | ')} |`, `|${Object.keys(r.rss).map(() => '---').join('|')}|`, `| ${Object.values(r.rss).join(' | ')} |`)
    const peak = Math.max(...Object.values(r.rss))
    L.push('', `Target peak RSS ≤ 400 MB (381 MiB): ${peak} MiB — ${ok(peak <= 381)}.`, '')
  }
  return L.join('\n')
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e)
    process.exit(1)
  },
)
