import { formatCursor, parseCursor, type TLiveCursor } from './live-cursor'
import { liveEventRepository, type TLiveEvent } from './live-event-repository'
import { subscribeToLiveEvents } from './live-listener'

export interface TStreamOptions {
  /** The last position the client saw (Last-Event-ID or ?after=); absent = start from now. */
  lastEventId?: string | null
  signal: AbortSignal
  /** Fallback re-read of the table when no NOTIFY came (ms). */
  pollMs?: number
  /** Re-read while committed events wait behind a running transaction (ms), doubling while it lasts … */
  pendingPollMs?: number
  /** … up to this (ms). Separate from `pollMs`: the horizon is cluster-wide, so any long transaction
   * on the same PostgreSQL (another database's too) holds events back, and a back-off grown to the
   * slow poll would leave them waiting that long after it ends. */
  pendingMaxMs?: number
  heartbeatMs?: number
}

const BATCH = 500

/** a is after b in (txid, id) order. */
const isAfter = (a: TLiveCursor, b: TLiveCursor) => (a.txid !== b.txid ? a.txid > b.txid : a.id > b.id)

function frame(e: TLiveEvent): string {
  return `id: ${e.cursor}\ndata: ${JSON.stringify({ id: e.id, type: e.type, entityId: e.entityId, serviceId: e.serviceId, at: e.at })}\n\n`
}

/** Tells the client it has missed events (resumed from before retention, or an unknown cursor): refetch everything. */
function reloadFrame(cursor: string): string {
  return `event: reload\nid: ${cursor}\ndata: {"type":"reload"}\n\n`
}

async function freshCursor(): Promise<TLiveCursor> {
  return parseCursor(await liveEventRepository.latestId())!
}

/**
 * Server-Sent Events of LiveEvent rows after the client's cursor.
 *
 * The cursor rule: events are delivered in (txid, id) order, and only those whose transaction id is
 * below the horizon — the oldest transaction that may still be running. Every transaction below it
 * has finished, so no event can later appear before a position already passed: a transaction that
 * took a lower id but commits later holds the stream back until it commits, and is then delivered,
 * once. Resuming with Last-Event-ID (the cursor of the last event) continues exactly there, on any
 * instance. A cursor from before the retention window, or one we did not issue, gets a `reload`
 * event (the client refetches everything) and the stream continues from now.
 */
export async function streamLiveEvents(opts: TStreamOptions): Promise<ReadableStream<Uint8Array>> {
  const enc = new TextEncoder()
  const given = opts.lastEventId ? parseCursor(opts.lastEventId) : null
  let cursor: TLiveCursor = given ?? (await freshCursor())
  let resetFirst = Boolean(opts.lastEventId) && !given
  let resetAt: TLiveCursor | null = null
  let reading = false
  let again = false
  let closed = false
  let unsubscribe: (() => void) | undefined
  let pendingTimer: ReturnType<typeof setTimeout> | undefined
  const timers: ReturnType<typeof setInterval>[] = []
  const pollMs = opts.pollMs ?? 5000
  const pendingBase = opts.pendingPollMs ?? 250
  const pendingMax = Math.max(pendingBase, opts.pendingMaxMs ?? 1000)
  let pendingDelay = pendingBase

  const stop = () => {
    closed = true
    unsubscribe?.()
    for (const t of timers) clearInterval(t)
    clearTimeout(pendingTimer)
  }

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!closed) controller.enqueue(enc.encode(text))
      }
      const close = () => {
        if (closed) return
        stop()
        try {
          controller.close()
        } catch {
          // already closed by the client going away
        }
      }
      const reset = async () => {
        cursor = await freshCursor()
        send(reloadFrame(formatCursor(cursor)))
      }
      // Read everything deliverable after the cursor; serialised, so frames are never duplicated or reordered.
      const drain = async () => {
        if (reading) {
          again = true
          return
        }
        reading = true
        try {
          do {
            again = false
            if (resetFirst) {
              resetFirst = false
              await reset()
            }
            // The horizon is read first, in its own statement: the next statement's snapshot is
            // later, so it sees every committed transaction below the horizon.
            const horizon = await liveEventRepository.horizon()
            const batch = await liveEventRepository.listAfter(cursor, horizon, BATCH)
            // Told to reload once per retention mark: a fresh cursor sits at the horizon, which a
            // long transaction (on any database of the cluster) can hold below the mark; the
            // client has just reloaded everything, so only a mark that moves on since means it
            // missed something again. (Comparing the fresh cursor with the same mark again reset
            // it in a loop for as long as that transaction ran.)
            if (batch.missed && !(resetAt && batch.mark && !isAfter(batch.mark, resetAt))) {
              await reset()
              resetAt = batch.mark
              again = true
              continue
            }
            for (const e of batch.events) {
              send(frame(e))
              cursor = parseCursor(e.cursor)!
            }
            if (batch.events.length === BATCH) again = true
            else if (batch.pending && !closed) {
              // Held back by a running transaction: look again soon, backing off while it lasts.
              clearTimeout(pendingTimer)
              pendingTimer = setTimeout(() => void drain(), pendingDelay)
              pendingDelay = Math.min(pendingDelay * 2, pendingMax)
            } else pendingDelay = pendingBase
          } while (again && !closed)
        } catch {
          // the next wake or poll tries again
        } finally {
          reading = false
        }
      }
      opts.signal.addEventListener('abort', close)
      send(`retry: 1000\n: connected\n\n`)
      unsubscribe = await subscribeToLiveEvents(() => void drain())
      timers.push(setInterval(() => void drain(), pollMs))
      timers.push(setInterval(() => send(': keep-alive\n\n'), opts.heartbeatMs ?? 15_000))
      await drain()
    },
    cancel() {
      stop()
    },
  })
}
