#!/usr/bin/env node
// `npm start`: database (embedded unless DATABASE_URL is set) → migrations → demo seed on first
// start → production build if the sources changed → the app on http://localhost:3000.
// The web server and the outbox worker are supervised (scripts/supervisor.mjs): a crashed one is
// restarted with back-off and the restart printed. Ctrl-C stops them and the embedded PostgreSQL.
// `npm run dev` does the same with `next dev`.
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { defaultDataDir, startEmbeddedPostgres } from './embedded-postgres.mjs'
import { supervise } from './supervisor.mjs'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
process.chdir(root)
const dev = process.argv.includes('--dev')
const port = Number(process.env.PORT ?? 3000)
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const say = (msg) => console.log(`[bars-inbox] ${msg}`)

Object.assign(process.env, {
  NEXT_TELEMETRY_DISABLED: '1',
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
})

const children = new Set()
const supervised = []
let db = null
let stopping = false

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: process.env, ...opts })
    children.add(child)
    child.on('exit', (code, signal) => {
      children.delete(child)
      if (code === 0) resolve()
      else reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code ?? signal}`))
    })
  })
}

async function shutdown(code = 0) {
  if (stopping) return
  stopping = true
  say('stopping the app and PostgreSQL…')
  for (const c of children) c.kill('SIGTERM')
  await Promise.all(supervised.map((s) => s.stop()))
  await new Promise((r) => setTimeout(r, 300))
  if (db) {
    await db.stop().catch(() => {})
    say('PostgreSQL stopped.')
  }
  process.exit(code)
}
process.on('SIGINT', () => void shutdown(0))
process.on('SIGTERM', () => void shutdown(0))

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}

function newestMtime(dirs) {
  let newest = 0
  const walk = (p) => {
    const st = fs.statSync(p)
    if (st.isDirectory()) {
      for (const f of fs.readdirSync(p)) if (f !== 'node_modules' && !f.startsWith('.')) walk(path.join(p, f))
    } else newest = Math.max(newest, st.mtimeMs)
  }
  for (const d of dirs) if (fs.existsSync(d)) walk(d)
  return newest
}

function needsBuild() {
  const id = path.join(root, '.next', 'BUILD_ID')
  if (!fs.existsSync(id)) return true
  const built = fs.statSync(id).mtimeMs
  return newestMtime(['app', 'components', 'lib', 'public', 'next.config.js', 'package.json', 'prisma/schema.prisma']) > built
}

function secretFile(dataRoot) {
  const file = path.join(dataRoot, 'nextauth-secret')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataRoot, { recursive: true })
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600 })
  }
  return fs.readFileSync(file, 'utf8').trim()
}

const truthy = (v) => v === 'true' || v === '1'
const loopback = (url) => {
  try {
    return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(url).hostname)
  } catch {
    return false
  }
}

/** Sender authentication: said loudly when off; refused for production on an external database (as lib/env.ts does). */
function checkSenderAuth() {
  if (truthy(process.env.BARS_REQUIRE_SENDER_AUTH)) return
  if (process.env.DATABASE_URL && !loopback(process.env.DATABASE_URL) && !truthy(process.env.BARS_ALLOW_UNAUTHENTICATED_SENDERS)) {
    throw new Error('refusing to run production without sender authentication: set BARS_REQUIRE_SENDER_AUTH=true (docs/security.md), or BARS_ALLOW_UNAUTHENTICATED_SENDERS=true if this is really meant.')
  }
  say('WARNING: sender authentication is NOT configured (BARS_REQUIRE_SENDER_AUTH is not true): the FHIR API accepts calls without credentials. Fine for the demo; never for production (docs/security.md).')
}

function keepRunning(name, cmd, args, env = process.env) {
  supervised.push(supervise({ name, cmd, args, env, say: (line) => say(line) }))
}

try {
  checkSenderAuth()
  if (!process.env.DATABASE_URL) {
    const dataDir = defaultDataDir(root)
    const pgPort = Number(process.env.BARS_PG_PORT ?? 54329)
    if (!(await portIsFree(pgPort))) {
      throw new Error(`port ${pgPort} is in use (another BaRS Inbox or PostgreSQL running?). Stop it, or set BARS_PG_PORT to a free port.`)
    }
    say(`starting embedded PostgreSQL (data in ${dataDir}, port ${pgPort})…`)
    db = await startEmbeddedPostgres({ dataDir, port: pgPort, database: 'bars' })
    process.env.DATABASE_URL = db.url
    process.env.NEXTAUTH_SECRET ??= secretFile(path.dirname(dataDir))
  } else {
    say('using the database in DATABASE_URL (no embedded PostgreSQL).')
    if (!process.env.NEXTAUTH_SECRET) throw new Error('Set NEXTAUTH_SECRET (32+ random characters) when using an external database.')
  }
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`

  say('applying migrations…')
  await run(bin('prisma'), ['migrate', 'deploy'])
  await run(bin('tsx'), ['prisma/seed.ts'])

  if (dev) {
    say(`starting next dev on http://localhost:${port}`)
    keepRunning('web (next dev)', bin('next'), ['dev', '-p', String(port)])
    keepRunning('worker', bin('tsx'), ['scripts/outbox-worker.ts'])
  } else {
    if (needsBuild()) {
      say('building the app (first start, or the sources changed)…')
      await run(bin('next'), ['build'])
    }
    say(`BaRS Inbox on http://localhost:${port}  (demo logins in README.md; Ctrl-C stops everything)`)
    // Heap bounds keep the server's RSS under 400 MB under load (issue 10; scripts/bench.ts uses the same flags).
    const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=256 --max-semi-space-size=16`.trim()
    keepRunning('web', process.execPath, ['scripts/web-server.mjs', '-p', String(port)], { ...process.env, NODE_OPTIONS: nodeOptions })
    // The outbox worker delivers our FHIR responses to senders (also `npm run worker` on its own).
    keepRunning('worker', bin('tsx'), ['scripts/outbox-worker.ts'])
  }
} catch (e) {
  console.error(`[bars-inbox] could not start: ${e instanceof Error ? e.message : String(e ?? 'unknown error')}`)
  await shutdown(1)
}
