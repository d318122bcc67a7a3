/** Helpers of `npm run bench` (scripts/bench.ts): HTTP load, statistics, process memory. Not app code. */
import fs from 'node:fs'
import http from 'node:http'
import { freshReferral } from '@/lib/demo/demo-referrals'

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export function pct(values: number[], p: number): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export const median = (values: number[]) => pct(values, 50)

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity })

export interface TAnswer {
  status: number
  ms: number
  retryAfter?: string
  body?: string
}

/** One POST over a keep-alive connection; status and time from call to the last byte. */
export function post(url: string, headers: Record<string, string>, body: string, keepBody = false, retried = false): Promise<TAnswer> {
  const t = performance.now()
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => keepBody && chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - t,
          retryAfter: res.headers['retry-after'] as string | undefined,
          body: keepBody ? Buffer.concat(chunks).toString('utf8') : undefined,
        }),
      )
    })
    req.on('error', (e: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed just as we reused it: the request never reached the
      // server, so send it once more on a new connection (Node's documented pattern). Status 0 = no answer.
      if (req.reusedSocket && e.code === 'ECONNRESET' && !retried) {
        void post(url, headers, body, keepBody, true).then((a) => resolve({ ...a, ms: performance.now() - t }))
      } else resolve({ status: 0, ms: performance.now() - t })
    })
    req.end(body)
  })
}

const TARGET = Buffer.from(JSON.stringify({ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: '111111111' })).toString('base64')
const ORG = Buffer.from(
  JSON.stringify({ resourceType: 'Organization', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'X26' }], name: 'NHS 111 (demo)' }),
).toString('base64')

/** A fresh REFREQ01 copy (new Bundle id, no booking link) with new BaRS transaction ids. */
export function ingestRequest(): { headers: Record<string, string>; body: string; bundleId: string } {
  const bundle = freshReferral({ now: new Date() })
  return {
    bundleId: bundle.id!,
    body: JSON.stringify(bundle),
    headers: {
      'content-type': 'application/fhir+json',
      accept: 'application/fhir+json; version=1.0.0',
      'x-request-id': crypto.randomUUID(),
      'x-correlation-id': crypto.randomUUID(),
      'nhsd-target-identifier': TARGET,
      'nhsd-end-user-organisation': ORG,
    },
  }
}

export interface TClosedLoop {
  ok: number
  shed: number
  failed: number
  errors500: number
  seconds: number
  perSecond: number
  p50: number
  p95: number
  p99: number
}

/** c workers, each sending the next request as soon as the last answered, for `seconds`; a 503/429 waits Retry-After. */
export async function closedLoop(url: string, c: number, seconds: number): Promise<TClosedLoop> {
  const until = performance.now() + seconds * 1000
  const times: number[] = []
  let ok = 0
  let shed = 0
  let failed = 0
  let errors500 = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (performance.now() < until) {
        const r = ingestRequest()
        const a = await post(url, r.headers, r.body)
        if (a.status === 200) {
          ok++
          times.push(a.ms)
        } else if (a.status === 503 || a.status === 429) {
          shed++
          await sleep(Number(a.retryAfter ?? 1) * 1000)
        } else {
          failed++
          if (a.status >= 500) errors500++
        }
      }
    }),
  )
  const elapsed = (performance.now() - t0) / 1000
  return { ok, shed, failed, errors500, seconds: elapsed, perSecond: ok / elapsed, p50: pct(times, 50), p95: pct(times, 95), p99: pct(times, 99) }
}

export interface TOpenLoop {
  rate: number
  seconds: number
  sent: number
  byStatus: Record<string, number>
  p50: number
  p90: number
  p99: number
  max: number
  /** Bundle ids answered 200 (to check they are stored). */
  okBundles: string[]
  shedWithoutRetryAfter: number
}

/** Requests sent on a fixed schedule (rate per second) whatever the answers; latency from the scheduled time. */
export async function openLoop(url: string, rate: number, seconds: number): Promise<TOpenLoop> {
  const n = Math.round(rate * seconds)
  const interval = 1000 / rate
  const latencies: number[] = []
  const byStatus: Record<string, number> = {}
  const okBundles: string[] = []
  let shedWithoutRetryAfter = 0
  const trace: string[] = []
  const inflight: Promise<void>[] = []
  // Every request is made before the clock starts: building a 23 KB bundle (and the garbage it
  // leaves) in the loop would delay sends, and that delay would count as the server's latency.
  const requests = Array.from({ length: n }, () => ingestRequest())
  const t0 = performance.now() + 50
  for (let i = 0; i < n; i++) {
    const at = t0 + i * interval
    const wait = at - performance.now()
    if (wait > 1) await sleep(wait)
    const r = requests[i]!
    requests[i] = undefined as never // let it go once sent
    inflight.push(
      post(url, r.headers, r.body).then((a) => {
        byStatus[a.status] = (byStatus[a.status] ?? 0) + 1
        latencies.push(performance.now() - at)
        trace.push(`${Math.round(at - t0)} ${Math.round(performance.now() - at)} ${a.status}`)
        if (a.status === 200) okBundles.push(r.bundleId)
        if ((a.status === 503 || a.status === 429) && !a.retryAfter) shedWithoutRetryAfter++
      }),
    )
  }
  await Promise.all(inflight)
  // BENCH_OPENLOOP_TRACE=<file>: one line per request (ms from the start it was due, latency, status) to find what the slow ones share.
  // Its first line is the schedule's start as Unix time in ms, to line the trace up with the server's logs.
  if (process.env.BENCH_OPENLOOP_TRACE) fs.writeFileSync(process.env.BENCH_OPENLOOP_TRACE, [`# t0 ${Math.round(performance.timeOrigin + t0)}`, ...trace].join('\n') + '\n')
  return { rate, seconds, sent: n, byStatus, p50: pct(latencies, 50), p90: pct(latencies, 90), p99: pct(latencies, 99), max: Math.max(...latencies), okBundles, shedWithoutRetryAfter }
}

/** Linux clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on every Linux we run). */
const TICKS_PER_SECOND = 100

/** Every process now: parent, command and CPU so far (user + system, ms), from /proc/<pid>/stat. */
function processTable(): Map<number, { ppid: number; comm: string; ms: number }> {
  const info = new Map<number, { ppid: number; comm: string; ms: number }>()
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // after the command: state(0) ppid(1) … utime(11) stime(12)
      info.set(Number(d), { ppid: Number(f[1]), comm, ms: ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND })
    } catch {
      // the process ended meanwhile
    }
  }
  return info
}

/** Is `pid` `rootPid` or one of its descendants. */
function inTree(info: ReturnType<typeof processTable>, pid: number, rootPid: number): boolean {
  for (let p: number | undefined = pid, hops = 0; p && hops < 64; p = info.get(p)?.ppid, hops++) if (p === rootPid) return true
  return false
}

/** Resident memory of a process and its descendants, in MiB (Linux /proc). */
export function treeRssMiB(rootPid: number): number {
  const info = processTable()
  let kib = 0
  for (const pid of info.keys()) {
    if (!inTree(info, pid, rootPid)) continue
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
      kib += Number(m?.[1] ?? 0)
    } catch {
      // the process ended meanwhile
    }
  }
  return kib / 1024
}

/** Samples a process tree's RSS every 250 ms; peak() since the last reset. */
export function rssSampler(pid: () => number | undefined) {
  let peak = 0
  const timer = setInterval(() => {
    const p = pid()
    if (p) peak = Math.max(peak, treeRssMiB(p))
  }, 250)
  timer.unref()
  return {
    peak: () => peak,
    reset: () => {
      peak = 0
    },
    stop: () => clearInterval(timer),
  }
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–')

/**
 * CPU time so far (user + system, ms) of the process tree under `rootPid`, of every PostgreSQL
 * process (any `postgres` command: the bench's embedded server and its backends), and of this
 * process (the load generator). Differences around a run give the CPU each side spends on it.
 */
export function cpuSnapshot(rootPid: number | undefined): { server: number; postgres: number; client: number } {
  const info = processTable()
  let server = 0
  let postgres = 0
  for (const [pid, p] of info) {
    if (p.comm === 'postgres') postgres += p.ms
    else if (rootPid && inTree(info, pid, rootPid)) server += p.ms
  }
  const u = process.cpuUsage()
  return { server, postgres, client: (u.user + u.system) / 1000 }
}
