/**
 * A TCP proxy in front of PostgreSQL that a test (or `npm run reliability`) can cut: the database
 * "goes away" for the app without stopping the server other test files share.
 *  - cut():       every open connection is dropped and new ones are refused (PostgreSQL stopped);
 *  - blackhole(): open connections are dropped and new ones are accepted but never answered (a dead network);
 *  - restore():   connections go through again.
 */
import net from 'node:net'

export interface TTcpProxy {
  port: number
  /** The upstream URL with its host and port replaced by the proxy's. */
  url: string
  cut(): Promise<void>
  blackhole(): Promise<void>
  restore(): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(upstreamUrl: string): Promise<TTcpProxy> {
  const upstream = new URL(upstreamUrl)
  const upstreamPort = Number(upstream.port || 5432)
  const sockets = new Set<net.Socket>()
  let mode: 'open' | 'blackhole' = 'open'
  let server: net.Server | null = null
  let port = 0

  const track = (s: net.Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => s.destroy())
  }
  const onConnection = (client: net.Socket) => {
    track(client)
    if (mode === 'blackhole') return // accepted, never answered
    const up = net.connect(upstreamPort, upstream.hostname)
    track(up)
    client.pipe(up)
    up.pipe(client)
    client.on('close', () => up.destroy())
    up.on('close', () => client.destroy())
  }
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const srv = net.createServer(onConnection)
      srv.once('error', reject)
      srv.listen(port, '127.0.0.1', () => {
        port = (srv.address() as net.AddressInfo).port
        server = srv
        resolve()
      })
    })
  const dropAll = () => {
    for (const s of sockets) s.destroy()
  }
  const stopListening = () =>
    new Promise<void>((resolve) => {
      const srv = server
      server = null
      dropAll()
      if (!srv) return resolve()
      srv.close(() => resolve())
    })

  await listen()
  const url = new URL(upstreamUrl)
  url.port = String(port)
  url.hostname = '127.0.0.1'
  return {
    port,
    url: url.toString(),
    async cut() {
      mode = 'open'
      await stopListening()
    },
    async blackhole() {
      mode = 'blackhole'
      dropAll()
      if (!server) await listen()
    },
    async restore() {
      mode = 'open'
      if (!server) await listen()
    },
    async close() {
      await stopListening()
    },
  }
}
