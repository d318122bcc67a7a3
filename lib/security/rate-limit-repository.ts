import { prisma } from '@/lib/db/prisma'

export const rateLimitRepository = {
  /**
   * Count one request in the key's window and return the new count: one INSERT … ON CONFLICT
   * statement, so every app instance shares the counter and concurrent requests never lose a count.
   * The first request of a window also clears that key's older windows.
   */
  async hit(key: string, windowStart: Date): Promise<number> {
    const rows = await prisma().$queryRaw<{ count: number }[]>`
      INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
      ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitBucket"."count" + 1
      RETURNING "count"`
    const count = Number(rows[0]?.count ?? 1)
    if (count === 1) await prisma().$executeRaw`DELETE FROM "RateLimitBucket" WHERE "key" = ${key} AND "windowStart" < ${windowStart}`
    return count
  },

  /** Retention: windows older than this instant (any key). */
  async deleteBefore(before: Date): Promise<number> {
    return prisma().$executeRaw`DELETE FROM "RateLimitBucket" WHERE "windowStart" < ${before}`
  },
}
