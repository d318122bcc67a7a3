/**
 * The hot path's database access (issue 10): node-postgres directly, without Prisma's query
 * compiler, for the statements `POST $process-message` runs for every message.
 *
 * `SqlTx` is the part of a transaction the hot-path repositories need: the `$queryRaw` and
 * `$executeRaw` tagged templates. Prisma's interactive transaction (`Tx`) has both with the same
 * meaning, so a repository function written against `SqlTx` runs unchanged inside either kind of
 * transaction; `sqlTransaction` is the one that runs it on a plain pg connection.
 *
 * Each call site's template becomes a named prepared statement (the template's strings are the
 * same object on every call, so they key the name): PostgreSQL parses and plans it once per
 * connection. Values are sent as parameters, never spliced into the text. Results are converted
 * like Prisma's raw queries: int8 → bigint, timestamptz → Date, json(b) → parsed.
 *
 * The pool has the same limits as Prisma's (lib/db/prisma.ts `poolConfig`): connection wait,
 * statement timeout, query timeout; a connection whose COMMIT or ROLLBACK failed is discarded, so
 * an outage never costs a pool slot for good (the leak lib/db/guarded-adapter.ts closes for Prisma).
 */
import pg from 'pg'
import { log } from '@/lib/log'
import { constraintConflict } from './constraint-errors'
import { poolConfig } from './prisma'

export interface SqlTx {
  $queryRaw<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>
  $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>
  /**
   * Only on a transaction of `sqlTransaction`: run `flush` after the transaction's work and just
   * before its COMMIT (in the order registered; a failure rolls the whole transaction back). An owner
   * module uses it to write what it gathered during the transaction in one statement.
   */
  beforeCommit?(flush: () => Promise<void>): void
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => BigInt(v) // int8, as Prisma's raw queries give it
    return pg.types.getTypeParser(oid, format as 'text')
  },
}

const holder = globalThis as unknown as { barsSqlPool?: pg.Pool }

function pool(): pg.Pool {
  // allowExitOnIdle: a script (fuzz, bench) ends when its work is done, not 30 s later.
  if (!holder.barsSqlPool) {
    const p = new pg.Pool({ ...poolConfig(), types, allowExitOnIdle: true } as pg.PoolConfig)
    // An idle connection that PostgreSQL ends (restart, outage, a dropped test database) is removed
    // from the pool by pg; without a listener its error would crash the process.
    p.on('error', (e) => log.warn('idle database connection lost', { dbCode: (e as { code?: string }).code ?? 'connection' }))
    holder.barsSqlPool = p
  }
  return holder.barsSqlPool
}

/** Connections of the hot-path pool (tests: none may stay checked out after an outage). */
export function sqlPoolCounts(): { total: number; idle: number; waiting: number } | undefined {
  const p = holder.barsSqlPool
  return p ? { total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount } : undefined
}

/** Close the hot-path pool (tests and scripts that end their database). */
export async function closeSqlPool(): Promise<void> {
  const p = holder.barsSqlPool
  holder.barsSqlPool = undefined
  await p?.end()
}

const names = new WeakMap<TemplateStringsArray, { name: string; text: string }>()
let counter = 0

function statement(strings: TemplateStringsArray): { name: string; text: string } {
  let s = names.get(strings)
  if (!s) {
    const text = strings.reduce((acc, part, i) => (i === 0 ? part : `${acc}$${i}${part}`), '')
    s = { name: `bars_${++counter}`, text }
    names.set(strings, s)
  }
  return s
}

/** A value as a query parameter: an instant in UTC ISO form (its meaning cannot depend on the server's zone), a bigint as text. */
function param(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString()
  if (typeof v === 'bigint') return v.toString()
  return v === undefined ? null : v
}

function txOn(client: pg.PoolClient, flushes: (() => Promise<void>)[]): SqlTx {
  return {
    beforeCommit(flush) {
      flushes.push(flush)
    },
    async $queryRaw<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T> {
      const s = statement(strings)
      const r = await client.query({ name: s.name, text: s.text, values: values.map(param) })
      return r.rows as T
    },
    async $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): Promise<number> {
      const s = statement(strings)
      const r = await client.query({ name: s.name, text: s.text, values: values.map(param) })
      return r.rowCount ?? 0
    },
  }
}

/**
 * Run `fn` in one transaction on a pooled pg connection: BEGIN, fn, COMMIT (ROLLBACK when fn
 * throws). Like lib/db/transaction.ts `inTransaction`, a violation of one of our named rules comes
 * out as its 409 AppError; every other error is rethrown unchanged (lib/db/db-errors.ts names the
 * database's own failures for the route wrapper).
 */
export async function sqlTransaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
  const client = await pool().connect()
  let broken: Error | undefined
  // The connection can end between two statements (outage, restart): pg then emits 'error' on the
  // checked-out client, which must be handled here (the next statement fails and is answered 503).
  const onError = (e: Error) => {
    broken = e
  }
  client.on('error', onError)
  try {
    await client.query('BEGIN')
    let result: T
    const flushes: (() => Promise<void>)[] = []
    try {
      result = await fn(txOn(client, flushes))
      for (const flush of flushes) await flush()
    } catch (e) {
      try {
        await client.query('ROLLBACK')
      } catch (r) {
        broken = r instanceof Error ? r : new Error('ROLLBACK failed')
      }
      throw e
    }
    try {
      await client.query('COMMIT')
    } catch (e) {
      broken = e instanceof Error ? e : new Error('COMMIT failed')
      throw e
    }
    return result
  } catch (e) {
    throw constraintConflict(e) ?? e
  } finally {
    client.off('error', onError)
    client.release(broken ?? false)
  }
}
