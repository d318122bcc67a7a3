import { prisma } from '@/lib/db/prisma'
import type { SqlTx } from '@/lib/db/sql'

/** Rows a key's count is spread over in each window: concurrent requests of one busy sender lock different rows. */
export const RATE_LIMIT_SHARDS = 8

export const rateLimitRepository = {
  /**
   * Count one request in the key's window and return the window's total: one statement that adds 1
   * to a random shard row (INSERT … ON CONFLICT) and sums the key's other shards, so every app
   * instance shares the counter, concurrent requests never lose a count, and no single row is hot.
   * The first request of a shard in a window also clears that key's older windows.
   */
  async hit(key: string, windowStart: Date, shard = Math.floor(Math.random() * RATE_LIMIT_SHARDS), tx?: SqlTx): Promise<number> {
    const db = tx ?? prisma()
    const rows = await db.$queryRaw<{ mine: number; total: number }[]>`
      WITH hit AS (
        INSERT INTO "RateLimitBucket" ("key", "windowStart", "shard", "count") VALUES (${key}, ${windowStart}::timestamptz, ${shard}::int, 1)
        ON CONFLICT ("key", "windowStart", "shard") DO UPDATE SET "count" = "RateLimitBucket"."count" + 1
        RETURNING "count"
      )
      SELECT (SELECT "count" FROM hit)::int AS mine,
             ((SELECT "count" FROM hit) + COALESCE((SELECT sum("count") FROM "RateLimitBucket"
                WHERE "key" = ${key} AND "windowStart" = ${windowStart}::timestamptz AND "shard" <> ${shard}::int), 0))::int AS total`
    const mine = Number(rows[0]?.mine ?? 1)
    if (mine === 1) await db.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "key" = ${key} AND "windowStart" < ${windowStart}::timestamptz`
    return Number(rows[0]?.total ?? 1)
  },

  /** Retention: windows older than this instant (any key). */
  async deleteBefore(before: Date): Promise<number> {
    return prisma().$executeRaw`DELETE FROM "RateLimitBucket" WHERE "windowStart" < ${before}`
  },
}
