import pg from 'pg'
import { env } from '@/lib/env'
import { log } from '@/lib/log'

/**
 * A short-lived cache for the lookups every FHIR call makes (the target service with its senders, the
 * authenticated sender), invalidated across instances: triggers on Service, ServiceSender and
 * SenderSystem `NOTIFY bars_lookups` on every committed change (migration referral_worklist_counts),
 * and one dedicated connection per instance LISTENs and clears every cache here.
 *
 * Safety rules: nothing is cached while the LISTEN connection is down (a change would go unseen), a
 * value read while a notification arrived is not stored (generation check), entries expire after
 * BARS_LOOKUP_CACHE_MS anyway, misses (null) are never cached (no memory for random tokens), and each
 * cache holds at most MAX_ENTRIES keys.
 */
const CHANNEL = 'bars_lookups'
const MAX_ENTRIES = 1000

interface TEntry {
  value: unknown
  at: number
}

interface TState {
  client: pg.Client | null
  connecting: Promise<void> | null
  retryAt: number
  generation: number
  caches: Set<Map<string, TEntry>>
}

const holder = globalThis as unknown as { barsLookupCache?: TState }
const state: TState = (holder.barsLookupCache ??= { client: null, connecting: null, retryAt: 0, generation: 0, caches: new Set() })

function invalidateAll() {
  state.generation++
  for (const c of state.caches) c.clear()
}

async function connect(): Promise<void> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL })
  const lost = () => {
    if (state.client === client || state.client === null) {
      state.client = null
      invalidateAll()
    }
  }
  client.on('notification', () => invalidateAll())
  client.on('error', (e) => {
    log.warn('lookup cache listener connection lost', { error: e.message })
    lost()
  })
  client.on('end', lost)
  try {
    await client.connect()
    await client.query(`LISTEN ${CHANNEL}`)
  } catch (e) {
    state.retryAt = Date.now() + 5000
    await client.end().catch(() => {})
    throw e
  }
  // Do not keep a process (tests, scripts) alive just for the listener.
  ;(client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.()
  invalidateAll()
  state.client = client
}

function startListening() {
  if (state.client || state.connecting || Date.now() < state.retryAt) return
  state.connecting = connect()
    .catch((e: unknown) => log.warn('lookup cache listener could not connect; lookups are not cached', { error: e instanceof Error ? e.message : String(e) }))
    .finally(() => {
      state.connecting = null
    })
}

export interface TLookupCache<T> {
  /** The cached value for key, or load() (stored only when not null and the cache is safe to use). */
  get(key: string, load: () => Promise<T | null>): Promise<T | null>
}

export function lookupCache<T>(): TLookupCache<T> {
  const entries = new Map<string, TEntry>()
  state.caches.add(entries)
  return {
    async get(key, load) {
      const ttl = env().BARS_LOOKUP_CACHE_MS
      if (ttl <= 0) return load()
      startListening()
      const hit = entries.get(key)
      if (hit && state.client && Date.now() - hit.at < ttl) return structuredClone(hit.value) as T
      const generation = state.generation
      const value = await load()
      if (value !== null && state.client && generation === state.generation) {
        if (entries.size >= MAX_ENTRIES) entries.clear()
        entries.set(key, { value: structuredClone(value), at: Date.now() })
      }
      return value
    },
  }
}

/** Resolves once this instance LISTENs for changes (tests; the first requests are simply not cached). */
export async function lookupCacheReady(): Promise<boolean> {
  startListening()
  await state.connecting
  return state.client !== null
}

/** Bumped by every invalidation (tests wait for a notification with it). */
export function lookupCacheGeneration(): number {
  return state.generation
}

/**
 * Drop this instance's cached lookups now. The admin write path calls it after its change commits,
 * so this instance never serves the old value even for the moment before its own NOTIFY arrives;
 * other instances learn through the NOTIFY.
 */
export function invalidateLookups(): void {
  invalidateAll()
}
