// Keeps a child process running for `npm start` (scripts/start.mjs): when the web server or the
// worker dies it is started again after a back-off (1 s, doubling to 30 s; back to 1 s once it has
// stayed up for a minute), and every exit and restart is printed. stop() ends it for good
// (SIGTERM, then SIGKILL after a grace period) without a restart.
// Each child runs in its own process group, and the whole group is signalled: `next start` and
// `tsx` run the real server / worker in a grandchild, which would otherwise outlive a kill -9 of
// its parent and keep the port (the restarted server then fails with EADDRINUSE).
import { spawn as nodeSpawn } from 'node:child_process'

/**
 * The delay before restart number `n` (1-based), given the back-off settings.
 * @param {number} n
 * @param {{ initialMs?: number, maxMs?: number }} [settings]
 */
export function backoffDelay(n, { initialMs = 1000, maxMs = 30_000 } = {}) {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, n - 1))
}

/**
 * Signal a child's whole process group (it is its group leader: spawned with detached: true).
 * @param {import('node:child_process').ChildProcess} c
 * @param {NodeJS.Signals} signal
 */
function signalGroup(c, signal) {
  if (!c.pid) return
  try {
    process.kill(-c.pid, signal)
  } catch {
    // the group is already gone
  }
}

/**
 * Start `cmd` and keep it running until stop().
 * @param {{ name: string, cmd: string, args?: string[], env?: NodeJS.ProcessEnv, say?: (line: string) => void,
 *   backoff?: { initialMs?: number, maxMs?: number, resetAfterMs?: number }, graceMs?: number,
 *   stdio?: import('node:child_process').StdioOptions }} opts
 */
export function supervise(opts) {
  const { name, cmd, args = [], env = process.env, say = console.log, backoff = {}, graceMs = 5000, stdio = 'inherit' } = opts
  const { initialMs = 1000, maxMs = 30_000, resetAfterMs = 60_000 } = backoff
  /** @type {import('node:child_process').ChildProcess | null} */
  let child = null
  let stopping = false
  let restarts = 0
  let consecutive = 0
  /** @type {NodeJS.Timeout | null} */
  let timer = null
  let exited = Promise.resolve()

  const start = () => {
    timer = null
    if (stopping) return
    const startedAt = Date.now()
    const c = nodeSpawn(cmd, args, { stdio, env, detached: true })
    child = c
    exited = new Promise((resolve) => {
      c.on('error', (/** @type {Error} */ e) => say(`${name} could not be started: ${e.message}`))
      c.on('exit', (code, signal) => {
        if (child === c) child = null
        signalGroup(c, 'SIGKILL') // whatever it left behind in its group
        resolve()
        if (stopping) return
        if (Date.now() - startedAt >= resetAfterMs) consecutive = 0
        consecutive += 1
        restarts += 1
        const delay = backoffDelay(consecutive, { initialMs, maxMs })
        say(`${name} stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); restarting in ${(delay / 1000).toFixed(delay < 1000 ? 2 : 0)} s (restart ${restarts})`)
        timer = setTimeout(start, delay)
      })
    })
  }
  start()

  return {
    get child() {
      return child
    },
    get restarts() {
      return restarts
    },
    async stop() {
      stopping = true
      if (timer) clearTimeout(timer)
      const c = child
      if (!c) return
      const kill = setTimeout(() => signalGroup(c, 'SIGKILL'), graceMs)
      signalGroup(c, 'SIGTERM')
      await exited
      clearTimeout(kill)
    },
  }
}
