/**
 * Service and sender lookups are cached for seconds and cleared on every instance when an admin
 * change commits (trigger → NOTIFY bars_lookups → this process's LISTEN connection). "Another
 * instance" here is a second PostgreSQL connection. The TTL is set to a minute, so a fresh value
 * seen within the test can only come from the notification; a write with triggers disabled
 * (session_replication_role = replica, no NOTIFY) shows that the value really is served from the cache.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { env } from '@/lib/env'
import { hashBearerToken } from '@/lib/senders/authenticate-sender'
import { senderAuthRepository } from '@/lib/senders/sender-auth-repository'
import { serviceRepository } from '@/lib/services/service-repository'
import { withEnv } from '@/lib/testing/test-env'
import { seed } from '@/prisma/seed'
import { lookupCacheGeneration, lookupCacheReady } from './lookup-cache'

let other: pg.Client
let restore: () => void

beforeAll(async () => {
  await seed(new Date())
  restore = withEnv({ BARS_LOOKUP_CACHE_MS: '60000' })
  other = new pg.Client({ connectionString: env().DATABASE_URL })
  await other.connect()
})
afterAll(async () => {
  restore()
  await other.end()
})

/** Ask again until the expected value shows (the NOTIFY is asynchronous); fails after 10 s. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000
  for (;;) {
    const v = await read()
    if (ok(v) || Date.now() > until) return v
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** A write another instance could make without telling anyone (no trigger, so no NOTIFY). */
async function silently(sql: string, params: unknown[] = []) {
  await other.query('BEGIN')
  await other.query('SET LOCAL session_replication_role = replica')
  await other.query(sql, params)
  await other.query('COMMIT')
}

describe('service lookups', () => {
  it('are served from the cache, and an admin change on another connection clears it', async () => {
    expect(await lookupCacheReady()).toBe(true)
    const first = await serviceRepository.findByDosId('111111111')
    expect(first?.name).toBeTruthy()
    const original = first!.name

    await silently(`UPDATE "Service" SET name = 'Silently renamed' WHERE "dosServiceId" = '111111111'`)
    expect((await serviceRepository.findByDosId('111111111'))?.name).toBe(original)

    await other.query(`UPDATE "Service" SET name = 'Renamed by an admin' WHERE "dosServiceId" = '111111111'`)
    const seen = await eventually(() => serviceRepository.findByDosId('111111111'), (s) => s?.name === 'Renamed by an admin')
    expect(seen?.name).toBe('Renamed by an admin')
  })

  it('see a sender removed from the service (ServiceSender change) after the notification', async () => {
    const before = await serviceRepository.findByDosId('111111111')
    expect(before!.senders.length).toBeGreaterThan(0)
    await other.query(`DELETE FROM "ServiceSender" WHERE "serviceId" = (SELECT id FROM "Service" WHERE "dosServiceId" = '111111111')`)
    const after = await eventually(() => serviceRepository.findByDosId('111111111'), (s) => s?.senders.length === 0)
    expect(after!.senders).toEqual([])
  })

  it('never cache a miss', async () => {
    expect(await serviceRepository.findByDosId('123454321')).toBeNull()
    await silently(`INSERT INTO "Service" (id, "dosServiceId", name, "odsCode", "useCases", "updatedAt") VALUES (gen_random_uuid(), '123454321', 'New', 'RX1', ARRAY['a1t1'], now())`)
    expect((await serviceRepository.findByDosId('123454321'))?.name).toBe('New')
  })

  it('a cached value is a copy: changing it does not change the cache', async () => {
    const a = await serviceRepository.findByDosId('123454321')
    a!.useCases.push('mutated')
    expect((await serviceRepository.findByDosId('123454321'))!.useCases).toEqual(['a1t1'])
  })

  it('BARS_LOOKUP_CACHE_MS=0 reads the database every time', async () => {
    const back = withEnv({ BARS_LOOKUP_CACHE_MS: '0' })
    try {
      await silently(`UPDATE "Service" SET name = 'Uncached' WHERE "dosServiceId" = '123454321'`)
      expect((await serviceRepository.findByDosId('123454321'))?.name).toBe('Uncached')
    } finally {
      back()
    }
  })
})

describe('sender lookups', () => {
  it('a deactivated sender is refused on the next call after the change commits elsewhere', async () => {
    const hash = hashBearerToken('bench-token-0123456789')
    const generation = lookupCacheGeneration()
    const { rows } = await other.query<{ id: string }>(`UPDATE "SenderSystem" SET "bearerTokenHash" = $1 WHERE "dosServiceId" = '2222222222' RETURNING id`, [hash])
    expect(rows).toHaveLength(1)
    // Wait for this change's notification, so the value read next is cached.
    await eventually(async () => lookupCacheGeneration(), (g) => g > generation)
    const found = await senderAuthRepository.findByBearerHash(hash)
    expect(found?.dosServiceId).toBe('2222222222')

    await silently(`UPDATE "SenderSystem" SET name = 'Silently renamed' WHERE "dosServiceId" = '2222222222'`)
    expect((await senderAuthRepository.findByBearerHash(hash))?.name).toBe(found!.name)

    await other.query(`UPDATE "SenderSystem" SET active = false WHERE "dosServiceId" = '2222222222'`)
    expect(await eventually(() => senderAuthRepository.findByBearerHash(hash), (s) => s === null)).toBeNull()
  })
})
