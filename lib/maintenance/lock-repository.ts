import { prisma } from '@/lib/db/prisma'

/**
 * Cluster-wide locks in PostgreSQL (advisory locks), so that a job runs on one instance at a time
 * however many are running. The lock is held by a transaction for the duration of the work.
 */
export const lockRepository = {
  /** Run `work` if nobody else holds the lock; otherwise return { ran: false } at once. */
  async runExclusively<T>(lockKey: number, work: () => Promise<T>, timeoutMs = 10 * 60_000): Promise<{ ran: true; result: T } | { ran: false }> {
    return prisma().$transaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${lockKey}::bigint) AS locked`
        if (!row?.locked) return { ran: false as const }
        return { ran: true as const, result: await work() }
      },
      { timeout: timeoutMs, maxWait: 10_000 },
    )
  },
}
