import { liveEventRepository, type TLiveEvent } from './live-event-repository'
import { subscribeToLiveEvents } from './live-listener'

export interface TStreamOptions {
  /** The last event id the client saw (Last-Event-ID); absent = start from now. */
  lastEventId?: string | null
  signal: AbortSignal
  /** Fallback re-read of the table when no NOTIFY came (ms). */
  pollMs?: number
  heartbeatMs?: number
}

function frame(e: TLiveEvent): string {
  return `id: ${e.id}\ndata: ${JSON.stringify({ id: e.id, type: e.type, entityId: e.entityId, serviceId: e.serviceId, at: e.at })}\n\n`
}

/**
 * Server-Sent Events of LiveEvent rows after the client's cursor, in id order: resuming with
 * Last-Event-ID gives no gaps and no duplicates, whichever instance the client reconnects to.
 */
export async function streamLiveEvents(opts: TStreamOptions): Promise<ReadableStream<Uint8Array>> {
  const enc = new TextEncoder()
  let cursor = opts.lastEventId && /^\d{1,19}$/.test(opts.lastEventId) ? opts.lastEventId : await liveEventRepository.latestId()
  let reading = false
  let again = false
  let closed = false
  let unsubscribe: (() => void) | undefined
  const timers: ReturnType<typeof setInterval>[] = []

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!closed) controller.enqueue(enc.encode(text))
      }
      const close = () => {
        if (closed) return
        closed = true
        unsubscribe?.()
        for (const t of timers) clearInterval(t)
        try {
          controller.close()
        } catch {
          // already closed by the client going away
        }
      }
      // Read everything after the cursor; serialised, so frames are never duplicated or reordered.
      const drain = async () => {
        if (reading) {
          again = true
          return
        }
        reading = true
        try {
          do {
            again = false
            const events = await liveEventRepository.listAfter(cursor)
            for (const e of events) {
              send(frame(e))
              cursor = e.id
            }
            if (events.length === 500) again = true
          } while (again && !closed)
        } catch {
          // the next wake or poll tries again
        } finally {
          reading = false
        }
      }
      opts.signal.addEventListener('abort', close)
      send(`retry: 1000\n: connected at ${cursor}\n\n`)
      unsubscribe = await subscribeToLiveEvents(() => void drain())
      timers.push(setInterval(() => void drain(), opts.pollMs ?? 5000))
      timers.push(setInterval(() => send(': keep-alive\n\n'), opts.heartbeatMs ?? 15_000))
      await drain()
    },
    cancel() {
      closed = true
      unsubscribe?.()
      for (const t of timers) clearInterval(t)
    },
  })
}
