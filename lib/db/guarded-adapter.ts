import { PrismaPg } from '@prisma/adapter-pg'

/**
 * PrismaPg (@prisma/adapter-pg 6.19) with one leak closed. When Prisma ends an interactive
 * transaction it sends COMMIT or ROLLBACK and only then hands the connection back to the pool; if
 * that statement fails — which is what happens to every in-flight transaction when PostgreSQL stops
 * or the network drops — the connection is never released. Each outage then costs a pool slot for
 * good, and after BARS_DB_POOL_SIZE of them the app answers 503 for ever although PostgreSQL is back
 * (found by lib/db/db-outage.int.test.ts: the pool could not even be closed). Here a failed
 * COMMIT/ROLLBACK releases the connection and tells the pool to discard it (it is dead, or its
 * transaction is over), then the error goes on to Prisma as before.
 */
type TTx = Awaited<ReturnType<Awaited<ReturnType<PrismaPg['connect']>>['startTransaction']>>
interface TTxInternals {
  client?: { release(err?: Error | boolean): void }
  cleanup?: () => void
}

const ENDS_TRANSACTION = /^\s*(COMMIT|ROLLBACK)\s*;?\s*$/i

export function guardTransaction(tx: TTx): TTx {
  const executeRaw = tx.executeRaw.bind(tx)
  let released = false
  tx.executeRaw = async (query) => {
    try {
      return await executeRaw(query)
    } catch (e) {
      if (!released && ENDS_TRANSACTION.test(query.sql)) {
        released = true
        const t = tx as unknown as TTxInternals
        t.cleanup?.()
        t.client?.release(e instanceof Error ? e : true)
      }
      throw e
    }
  }
  return tx
}

interface TPoolCounts {
  totalCount: number
  idleCount: number
  waitingCount: number
}
let lastPool: TPoolCounts | undefined

export class GuardedPrismaPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect()
    lastPool = adapter.underlyingDriver() as unknown as TPoolCounts
    const start = adapter.startTransaction.bind(adapter)
    adapter.startTransaction = async (isolationLevel) => guardTransaction(await start(isolationLevel))
    return adapter
  }
}

/** Connections of the process's pool (tests: once every request is answered, every connection must be idle). */
export function poolCounts(): { total: number; idle: number; waiting: number } | undefined {
  return lastPool && { total: lastPool.totalCount, idle: lastPool.idleCount, waiting: lastPool.waitingCount }
}
