// `npm run worker`: delivers queued FHIR responses (OutboxMessage rows) to senders' $process-message,
// retrying with exponential back-off. Any number of workers can run at once (FOR UPDATE SKIP LOCKED).
// `npm start` runs one beside the app. Options: --poll-ms 1000 --base-delay-ms 5000
// --max-delay-ms 900000 --max-attempts 20 --timeout-ms 10000 --housekeeping-ms 3600000 --once
import { prisma } from '@/lib/db/prisma'
import { deliverDueMessages, runOutboxWorker } from '@/lib/outbox/deliver-outbox'
import { runHousekeeping } from '@/lib/maintenance/run-housekeeping'
import { DEFAULT_RETRY_POLICY } from '@/lib/outbox/retry-policy'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN
  return Number.isFinite(v) && v >= 0 ? v : fallback
}

const policy = {
  baseDelayMs: arg('base-delay-ms', DEFAULT_RETRY_POLICY.baseDelayMs),
  maxDelayMs: arg('max-delay-ms', DEFAULT_RETRY_POLICY.maxDelayMs),
  maxAttempts: arg('max-attempts', DEFAULT_RETRY_POLICY.maxAttempts),
}
const timeoutMs = arg('timeout-ms', 10_000)

if (process.argv.includes('--once')) {
  const report = await deliverDueMessages({ policy, timeoutMs })
  console.log(JSON.stringify(report))
  await prisma().$disconnect()
} else {
  const stop = new AbortController()
  process.on('SIGINT', () => stop.abort())
  process.on('SIGTERM', () => stop.abort())
  console.log(`[outbox-worker] delivering responses (poll ${arg('poll-ms', 1000)} ms, back-off ${policy.baseDelayMs}–${policy.maxDelayMs} ms)`)
  // Housekeeping beside delivery: arrival windows kept generated ahead, audit, live-event and session
  // retention. Hourly, and on one instance at a time (a PostgreSQL advisory lock), however many workers run.
  const housekeeping = async () => {
    try {
      const r = await runHousekeeping()
      if (r.ran) console.log(`[outbox-worker] housekeeping: audit rows purged ${r.result.audit.deleted}, live events ${r.result.liveEvents}, ended sessions ${r.result.sessions}`)
    } catch (e) {
      console.error(`[outbox-worker] housekeeping failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  void housekeeping()
  const timer = setInterval(() => void housekeeping(), arg('housekeeping-ms', 3600_000))
  stop.signal.addEventListener('abort', () => clearInterval(timer))
  await runOutboxWorker({ policy, timeoutMs, pollMs: arg('poll-ms', 1000), signal: stop.signal })
  await prisma().$disconnect()
  process.exit(0)
}
