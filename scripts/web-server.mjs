#!/usr/bin/env node
// `node scripts/web-server.mjs -p <port> [-H <host>]`: the production web process (what `next start`
// does, behind the front door of scripts/front-door.mjs). Used by `npm start`, the e2e tests and the
// bench, so all three serve requests the same way. Needs a build (`next build`; the bench's distDir
// comes from next.config.js when BARS_BENCH_BUILD=1).
import http from 'node:http'
import path from 'node:path'
import { frontDoor } from './front-door.mjs'

process.env.NODE_ENV = 'production'
const arg = (flag, fallback) => {
  const i = process.argv.indexOf(flag)
  return i >= 0 ? process.argv[i + 1] : fallback
}
const port = Number(arg('-p', process.env.PORT ?? '3000'))
const hostname = arg('-H', undefined)
const inflight = Number(process.env.BARS_MAX_INFLIGHT_MESSAGES ?? 16)
// A few more than the route's own bound: requests still being routed by Next when a place frees up.
const max = Number(process.env.BARS_MAX_HELD_MESSAGES ?? inflight + 4)

const { default: next } = await import('next')
const app = next({ dev: false, dir: path.resolve(import.meta.dirname, '..'), hostname, port })
await app.prepare()
const handle = app.getRequestHandler()
let shed = 0
const server = http.createServer(frontDoor({ max, handle, onShed: () => shed++ }))
server.keepAliveTimeout = 65_000 // longer than a typical proxy's idle timeout
// A deep accept queue: a burst of new connections waits to be accepted (and answered, or refused at the door)
// instead of having its SYNs dropped and retried by the kernel seconds later.
server.listen({ port, host: hostname, backlog: 4096 }, () => console.log(`web server on http://${hostname ?? 'localhost'}:${port} (at most ${max} $process-message requests held)`))
setInterval(() => {
  if (shed) console.log(JSON.stringify({ level: 'warn', msg: 'front door shed $process-message requests with 503', count: shed }))
  shed = 0
}, 10_000).unref()
const stop = () => {
  server.close(() => process.exit(0))
  setTimeout(() => process.exit(0), 5_000).unref() // requests still running after 5 s are abandoned (their transactions roll back)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
