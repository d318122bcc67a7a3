import { describe, expect, it } from 'vitest'
import { backoffDelay, supervise } from './supervisor.mjs'

const node = process.execPath
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 10))
}

describe('npm start supervision (scripts/supervisor.mjs)', () => {
  it('back-off doubles from the initial delay up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, { initialMs: 1000, maxMs: 30_000 }))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
  })

  it('restarts a child that dies, saying what happened each time', async () => {
    const lines: string[] = []
    const s = supervise({ name: 'web', cmd: node, args: ['-e', 'process.exit(3)'], say: (l: string) => lines.push(l), backoff: { initialMs: 5, maxMs: 20 }, stdio: 'ignore' })
    await until(() => s.restarts >= 3)
    await s.stop()
    expect(lines[0]).toBe('web stopped unexpectedly (exit code 3); restarting in 0.01 s (restart 1)')
    expect(lines[1]).toContain('(restart 2)')
    expect(lines.every((l) => l.startsWith('web stopped unexpectedly (exit code 3)'))).toBe(true)
  })

  it('a child killed by a signal (kill -9) is restarted too, and keeps running afterwards', async () => {
    const lines: string[] = []
    const s = supervise({ name: 'worker', cmd: node, args: ['-e', 'setInterval(() => {}, 1000)'], say: (l: string) => lines.push(l), backoff: { initialMs: 5 }, stdio: 'ignore' })
    await until(() => s.child !== null)
    const first = s.child!.pid
    s.child!.kill('SIGKILL')
    await until(() => s.restarts === 1 && s.child !== null && s.child.pid !== first)
    expect(lines).toEqual(['worker stopped unexpectedly (signal SIGKILL); restarting in 0.01 s (restart 1)'])
    const second = s.child!
    await s.stop()
    expect(second.exitCode !== null || second.signalCode !== null).toBe(true)
    expect(s.restarts).toBe(1) // stop() does not restart
  })

  it('a kill -9 of the child also ends what it started (no orphan keeps the port), and the restart gets the port', async () => {
    // The child, like `next start`, runs the real server in a grandchild that listens on a port.
    const script = `
      const { spawn } = require('node:child_process')
      spawn(process.execPath, ['-e', "require('node:net').createServer().listen(Number(process.env.P), '127.0.0.1', () => console.log('listening'))"], { stdio: 'inherit' })
      setInterval(() => {}, 1000)`
    const port = 20000 + Math.floor(Math.random() * 20000)
    const output: string[] = []
    const s = supervise({ name: 'web', cmd: node, args: ['-e', script], env: { ...process.env, P: String(port) }, say: () => {}, backoff: { initialMs: 5 }, stdio: ['ignore', 'pipe', 'pipe'] })
    const watch = () => {
      s.child?.stdout?.on('data', (d: Buffer) => output.push(d.toString()))
      s.child?.stderr?.on('data', (d: Buffer) => output.push(d.toString()))
    }
    await until(() => s.child !== null)
    watch()
    await until(() => output.join('').includes('listening'))
    s.child!.kill('SIGKILL')
    await until(() => s.restarts === 1 && s.child !== null)
    watch()
    await until(() => output.join('').split('listening').length === 3 || output.join('').includes('EADDRINUSE'))
    await s.stop()
    expect(output.join('')).not.toContain('EADDRINUSE')
  })

  it('stop() ends a child that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const s = supervise({ name: 'web', cmd: node, args: ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('up')"], say: () => {}, graceMs: 200, stdio: ['ignore', 'pipe', 'ignore'] })
    await until(() => s.child !== null)
    const c = s.child!
    await new Promise<void>((r) => c.stdout!.once('data', () => r())) // its SIGTERM handler is installed
    await s.stop()
    expect(c.signalCode).toBe('SIGKILL')
    expect(s.restarts).toBe(0)
  })
})
