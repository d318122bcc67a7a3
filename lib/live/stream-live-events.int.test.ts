import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { prisma } from '@/lib/db/prisma'
import { parseCursor } from './live-cursor'
import { liveEventRepository } from './live-event-repository'
import { streamLiveEvents } from './stream-live-events'

const SERVICE = '00000000-0000-4000-8000-000000000001'

async function publish(entityId: string) {
  await prisma().$transaction((tx) => liveEventRepository.publish(tx, 'referral.received', SERVICE, entityId))
}

interface TFrame {
  event: string
  id: string
  entityId?: string
}

/** Read SSE frames until one satisfies `until` (every frame with an id is returned, in order). */
async function readUntil(stream: ReadableStream<Uint8Array>, until: (f: TFrame) => boolean): Promise<TFrame[]> {
  const reader = stream.getReader()
  const dec = new TextDecoder()
  let buf = ''
  const out: TFrame[] = []
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return out
      buf += dec.decode(value)
      let i: number
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const text = buf.slice(0, i)
        buf = buf.slice(i + 2)
        const id = /^id: (.+)$/m.exec(text)?.[1]
        const data = /^data: (.*)$/m.exec(text)?.[1]
        if (!id || !data) continue
        const f: TFrame = { event: /^event: (.+)$/m.exec(text)?.[1] ?? 'message', id, entityId: (JSON.parse(data) as { entityId?: string }).entityId }
        out.push(f)
        if (until(f)) return out
      }
    }
  } finally {
    reader.releaseLock()
  }
}

const streams: AbortController[] = []
const clients: pg.Client[] = []
afterEach(async () => {
  for (const a of streams.splice(0)) a.abort()
  for (const c of clients.splice(0)) await c.end().catch(() => undefined)
})

async function open(lastEventId?: string, pendingMaxMs = 250) {
  const abort = new AbortController()
  streams.push(abort)
  return streamLiveEvents({ lastEventId, signal: abort.signal, pollMs: 60_000, pendingPollMs: 50, pendingMaxMs })
}

async function connection(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await c.connect()
  clients.push(c)
  return c
}

const insert = (c: pg.Client, entityId: string) =>
  c.query<{ id: string }>(`INSERT INTO "LiveEvent" ("type", "serviceId", "entityId") VALUES ('referral.received', $1, $2) RETURNING "id"::text`, [SERVICE, entityId])

describe('live events over SSE, read from PostgreSQL', () => {
  it('pushes an event written after the client connected (woken by NOTIFY, not the slow poll)', async () => {
    const stream = await open()
    const reading = readUntil(stream, (f) => f.entityId === 'a')
    await publish('a')
    const frames = await reading
    expect(frames.map((f) => f.entityId)).toEqual(['a'])
    expect(parseCursor(frames[0]!.id)).not.toBeNull()
  })

  it('resumes after Last-Event-ID with no gap and no duplicate', async () => {
    const first = await open()
    const seen = readUntil(first, (f) => f.entityId === 'b3')
    await publish('b1')
    await publish('b2')
    await publish('b3')
    const all = await seen
    expect(all.map((f) => f.entityId)).toEqual(['b1', 'b2', 'b3'])
    // A second connection resuming after b1 (what the browser sends after a drop) gets b2, b3, then new ones.
    const resumed = await open(all[0]!.id)
    const reading = readUntil(resumed, (f) => f.entityId === 'b4')
    await publish('b4')
    expect((await reading).map((f) => f.entityId)).toEqual(['b2', 'b3', 'b4'])
  })

  it('never skips a transaction that took a lower id but committed later, and sends it once', async () => {
    const stream = await open()
    const reading = readUntil(stream, (f) => f.entityId === 'c-last')
    const a = await connection()
    const b = await connection()
    await a.query('BEGIN')
    const idA = (await insert(a, 'c-early-id')).rows[0]!.id // tx A takes id N and stays open
    await b.query('BEGIN')
    const idB = (await insert(b, 'c-late-id')).rows[0]!.id // tx B takes N+1 …
    await b.query('COMMIT') // … and commits first (its NOTIFY wakes the stream)
    expect(BigInt(idB)).toBeGreaterThan(BigInt(idA))

    // What every read sees while A is open: B's event is held back behind A (a cursor moved past
    // B's id would have skipped A's for ever).
    const fresh = parseCursor(await liveEventRepository.latestId())!
    const meanwhile = await liveEventRepository.listAfter(fresh, await liveEventRepository.horizon())
    expect(meanwhile.events.map((e) => e.entityId)).not.toContain('c-late-id')
    expect(meanwhile.pending).toBe(true)

    await a.query('COMMIT') // A commits last
    await publish('c-last')
    const frames = await reading
    // Exactly once each, A's first (its transaction is older), nothing skipped.
    expect(frames.map((f) => f.entityId)).toEqual(['c-early-id', 'c-late-id', 'c-last'])
    expect(new Set(frames.map((f) => f.id)).size).toBe(3)
  })

  it('an event held back by a long transaction elsewhere on the cluster arrives soon after it ends, not after a back-off grown to the slow poll', async () => {
    const stream = await open()
    const reading = readUntil(stream, (f) => f.entityId === 'f1')
    // Another transaction with an id (the horizon is cluster-wide: another database's would do the same).
    const blocker = await connection()
    await blocker.query('BEGIN')
    await blocker.query('SELECT pg_current_xact_id()')
    await publish('f1') // committed, but above the horizon while the blocker runs
    // 3.3 s of doubling from 50 ms: uncapped (up to the 60 s poll), the next look would come at 6.35 s.
    await new Promise((r) => setTimeout(r, 3300))
    await blocker.query('COMMIT')
    const released = Date.now()
    expect((await reading).map((f) => f.entityId)).toEqual(['f1'])
    expect(Date.now() - released).toBeLessThan(1500)
  })

  it('a resumed client whose cursor is before the retention window is told to reload, then streams from now', async () => {
    const first = await open()
    const seen = readUntil(first, (f) => f.entityId === 'd2')
    await publish('d1')
    await publish('d2')
    const [d1, d2] = await seen
    // Retention deletes both; the client that last saw d1 has missed d2.
    expect(await liveEventRepository.deleteBefore(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(2)

    const stale = await open(d1!.id)
    // The reload is sent from the stream's first read, which runs after open() returns; "from now"
    // means from that moment, so d3 is published once the reload is out (published earlier, it
    // is in what the client reloads, and rightly not streamed again).
    expect((await readUntil(stale, (f) => f.event === 'reload')).map((f) => f.event)).toEqual(['reload'])
    const reading = readUntil(stale, (f) => f.entityId === 'd3')
    await publish('d3')
    const frames = await reading
    expect(frames.map((f) => `${f.event}:${f.entityId}`)).toEqual(['message:d3'])

    // One that had seen everything deleted resumes normally: no reload.
    const upToDate = await open(d2!.id)
    const next = readUntil(upToDate, (f) => f.entityId === 'd4')
    await publish('d4')
    expect((await next).map((f) => `${f.event}:${f.entityId}`)).toEqual(['message:d3', 'message:d4'])
  })

  it('while a long transaction holds the horizon below the retention mark, a stale client is told to reload once, not over and over', async () => {
    // An older transaction with an id (another database's would do the same: the horizon is cluster-wide).
    const blocker = await connection()
    await blocker.query('BEGIN')
    await blocker.query('SELECT pg_current_xact_id()')
    await publish('g1')
    await publish('g2')
    // Retention deletes both: its mark is above the horizon the blocker holds.
    expect(await liveEventRepository.deleteBefore(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(2)
    const pageCursor = await liveEventRepository.latestId() // what a page rendered now hands its browser
    const stale = await open(pageCursor)
    const reading = readUntil(stale, (f) => f.entityId === 'g3')
    await new Promise((r) => setTimeout(r, 600)) // the stream looks again and again while held back
    await blocker.query('COMMIT')
    await publish('g3')
    expect((await reading).map((f) => f.event)).toEqual(['reload', 'message'])
  })

  it('a Last-Event-ID we did not issue (e.g. a plain id from before this cursor) gets a reload', async () => {
    const stream = await open('12345')
    const reading = readUntil(stream, (f) => f.entityId === 'e1')
    await publish('e1')
    expect((await reading).map((f) => f.event)).toEqual(['reload', 'message'])
  })
})
