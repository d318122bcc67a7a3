import { describe, expect, it } from 'vitest'
import { prisma } from '@/lib/db/prisma'
import { liveEventRepository } from './live-event-repository'
import { streamLiveEvents } from './stream-live-events'

const SERVICE = '00000000-0000-4000-8000-000000000001'

async function publish(entityId: string) {
  await prisma().$transaction((tx) => liveEventRepository.publish(tx, 'referral.received', SERVICE, entityId))
}

/** Read SSE frames until `n` events have arrived. */
async function readEvents(stream: ReadableStream<Uint8Array>, n: number): Promise<{ id: string; entityId: string }[]> {
  const reader = stream.getReader()
  const dec = new TextDecoder()
  let buf = ''
  const out: { id: string; entityId: string }[] = []
  while (out.length < n) {
    const { value, done } = await reader.read()
    if (done) break
    buf += dec.decode(value)
    let i: number
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, i)
      buf = buf.slice(i + 2)
      const id = /^id: (\d+)$/m.exec(frame)?.[1]
      const data = /^data: (.*)$/m.exec(frame)?.[1]
      if (id && data) out.push({ id, entityId: (JSON.parse(data) as { entityId: string }).entityId })
    }
  }
  reader.releaseLock()
  return out
}

describe('live events over SSE, read from PostgreSQL', () => {
  it('pushes an event written after the client connected (woken by NOTIFY, not the slow poll)', async () => {
    const abort = new AbortController()
    const stream = await streamLiveEvents({ signal: abort.signal, pollMs: 60_000 })
    const reading = readEvents(stream, 1)
    await publish('a')
    const [e] = await reading
    expect(e!.entityId).toBe('a')
    abort.abort()
  })

  it('resumes after Last-Event-ID with no gap and no duplicate', async () => {
    await publish('b1')
    await publish('b2')
    await publish('b3')
    const all = await liveEventRepository.listAfter('0')
    const b1 = all.find((e) => e.entityId === 'b1')!
    const abort = new AbortController()
    const stream = await streamLiveEvents({ lastEventId: b1.id, signal: abort.signal, pollMs: 60_000 })
    const events = await readEvents(stream, 2)
    expect(events.map((e) => e.entityId)).toEqual(['b2', 'b3'])
    expect(Number(events[1]!.id)).toBeGreaterThan(Number(events[0]!.id))
    abort.abort()
  })
})
