/**
 * lib/db/sql.ts: the hot path's transactions. A deferred write (SqlTx.defer) travels as a WITH
 * item in front of the transaction's next statement, or alone just before COMMIT; it commits and
 * rolls back with the transaction.
 */
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { prisma } from './prisma'
import { closeSqlPool, sqlTransaction } from './sql'
import { sql } from './sql-fragment'

beforeAll(async () => {
  await prisma().$executeRawUnsafe('CREATE TABLE IF NOT EXISTS "DeferTest" ("id" serial PRIMARY KEY, "tag" text NOT NULL, "v" text NOT NULL, "at" timestamptz, "n" bigint)')
})
afterAll(() => closeSqlPool())
afterEach(() => vi.restoreAllMocks())

/** The statements the pool's connections send (text and parameters), from now on. */
function sent(): { text: string; name?: string; values?: unknown[] }[] {
  const seen: { text: string; name?: string; values?: unknown[] }[] = []
  const original = pg.Client.prototype.query
  vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { text: string; name?: string; values?: unknown[] }
    seen.push(typeof q === 'string' ? { text: q } : { text: q.text, name: q.name, values: q.values })
    return (original as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof original)
  return seen
}

// By value: the WITH items of one statement run in no defined order (the ids show which ran first).
const rows = (tag: string) => prisma().$queryRaw<{ v: string; at: Date | null; n: bigint | null }[]>`SELECT "v", "at", "n" FROM "DeferTest" WHERE "tag" = ${tag} ORDER BY "v"`
const put = (tag: string, v: string | null, at: Date | null = null, n: bigint | null = null) => () => sql`INSERT INTO "DeferTest" ("tag", "v", "at", "n") VALUES (${tag}, ${v}, ${at}::timestamptz, ${n}::bigint)`

describe('sqlTransaction: deferred writes', () => {
  it('go in front of the next statement, in one round trip, with their parameters converted', async () => {
    const tag = crypto.randomUUID()
    const at = new Date('2026-12-01T10:00:00.123Z')
    const seen = sent()
    const [count] = await sqlTransaction(async (tx) => {
      tx.defer!(put(tag, 'first', at, BigInt('9007199254740993')))
      tx.defer!(put(tag, 'second'))
      // The next statement carries both writes; as WITH items they share its snapshot, so it does not see them…
      const before = await tx.$queryRaw<{ c: bigint }[]>`SELECT count(*) AS c FROM "DeferTest" WHERE "tag" = ${tag}`
      expect(before[0]!.c).toBe(BigInt(0))
      // …and the statement after it does.
      return tx.$queryRaw<{ c: bigint }[]>`WITH t AS (SELECT * FROM "DeferTest" WHERE "tag" = ${tag}) SELECT count(*) AS c FROM t`
    })
    expect(count!.c).toBe(BigInt(2))
    expect(seen.map((s) => s.text.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual(['BEGIN', 'WITH bars_w0 AS', 'WITH t AS', 'COMMIT'])
    expect(seen[1]!.text).toContain('bars_w1 AS (INSERT')
    expect(await rows(tag)).toEqual([
      { v: 'first', at, n: BigInt('9007199254740993') },
      { v: 'second', at: null, n: null },
    ])
  })

  it('left over at the end are written in one statement before COMMIT; the same combination reuses its prepared statement', async () => {
    const seen = sent()
    const tags = [crypto.randomUUID(), crypto.randomUUID()]
    for (const tag of tags) {
      await sqlTransaction(async (tx) => {
        tx.defer!(put(tag, 'a'))
        tx.defer!(put(tag, 'b'))
      })
    }
    const flushes = seen.filter((s) => s.text.startsWith('WITH bars_w0'))
    expect(flushes).toHaveLength(2)
    expect(flushes[0]!.text).toMatch(/\) SELECT 1$/)
    expect(flushes[0]!.name).toBe(flushes[1]!.name)
    for (const tag of tags) expect((await rows(tag)).map((r) => r.v)).toEqual(['a', 'b'])
  })

  it('roll back with the transaction; a write that fails fails the statement it went with and the whole transaction', async () => {
    const tag = crypto.randomUUID()
    await expect(
      sqlTransaction(async (tx) => {
        tx.defer!(put(tag, 'kept?'))
        await tx.$executeRaw`SELECT 1`
        throw new Error('the work failed')
      }),
    ).rejects.toThrow('the work failed')
    expect(await rows(tag)).toEqual([])

    await expect(
      sqlTransaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO "DeferTest" ("tag", "v") VALUES (${tag}, 'direct')`
        tx.defer!(put(tag, null)) // "v" is NOT NULL
        await tx.$queryRaw`SELECT 1`
      }),
    ).rejects.toMatchObject({ code: '23502' })
    expect(await rows(tag)).toEqual([])
  })

  it('before a statement that cannot take WITH items (WITH RECURSIVE, SET, …) they are sent on their own first', async () => {
    const tag = crypto.randomUUID()
    const seen = sent()
    const r = await sqlTransaction(async (tx) => {
      tx.defer!(put(tag, 'x'))
      return tx.$queryRaw<{ n: number }[]>`WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${3}::int) SELECT max(n)::int AS n FROM s`
    })
    expect(r[0]!.n).toBe(3)
    expect(seen.map((s) => s.text.trim().split(/\s+/)[0]!.toUpperCase())).toEqual(['BEGIN', 'WITH', 'WITH', 'COMMIT'])
    expect(seen[1]!.text).toMatch(/^WITH bars_w0 AS \(INSERT.*\) SELECT 1$/s)
    expect(await rows(tag)).toHaveLength(1)

    seen.length = 0
    await sqlTransaction(async (tx) => {
      tx.defer!(put(tag, 'y'))
      await tx.$executeRaw`SET LOCAL statement_timeout = '5s'`
    })
    expect(seen.map((s) => s.text.trim().split(/\s+/)[0]!.toUpperCase())).toEqual(['BEGIN', 'WITH', 'SET', 'COMMIT'])
    expect(await rows(tag)).toHaveLength(2)
  })
})
