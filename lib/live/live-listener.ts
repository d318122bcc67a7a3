import pg from 'pg'
import { env } from '@/lib/env'
import { log } from '@/lib/log'

type TWake = () => void

interface TListenerState {
  client: pg.Client | null
  connecting: Promise<void> | null
  subscribers: Set<TWake>
}

/**
 * One dedicated PostgreSQL connection per app instance LISTENs on 'live_events' (the LiveEvent
 * insert trigger NOTIFYs it) and wakes this instance's SSE streams, which then read the new rows
 * from the table. The table is the source of truth: a missed NOTIFY only delays, never loses.
 */
const holder = globalThis as unknown as { barsLiveListener?: TListenerState }
const state: TListenerState = (holder.barsLiveListener ??= { client: null, connecting: null, subscribers: new Set() })

function wakeAll() {
  for (const fn of state.subscribers) fn()
}

async function connect(): Promise<void> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL })
  client.on('notification', () => wakeAll())
  client.on('error', (e) => {
    log.warn('live listener connection lost', { error: e.message })
  })
  client.on('end', () => {
    if (state.client === client) state.client = null
    if (state.subscribers.size) setTimeout(() => void ensureConnected().then(wakeAll, () => {}), 1000)
  })
  await client.connect()
  await client.query('LISTEN live_events')
  state.client = client
}

function ensureConnected(): Promise<void> {
  if (state.client) return Promise.resolve()
  state.connecting ??= connect().finally(() => {
    state.connecting = null
  })
  return state.connecting
}

/** Be woken on every new live event (on this instance). Returns the unsubscribe function. */
export async function subscribeToLiveEvents(wake: TWake): Promise<() => void> {
  state.subscribers.add(wake)
  try {
    await ensureConnected()
  } catch (e) {
    log.warn('live listener could not connect; streams fall back to polling', { error: e instanceof Error ? e.message : String(e) })
  }
  return () => {
    state.subscribers.delete(wake)
  }
}
