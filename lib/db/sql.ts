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
import type { TSqlFragment } from './sql-fragment'
import { poolConfig } from './prisma'

export interface SqlTx {
  $queryRaw<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>
  $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>
  /**
   * Only on a transaction of `sqlTransaction`: a write whose result nobody waits for, sent with the
   * transaction's next statement (as a data-modifying WITH item in front of it) or, when there is
   * none, in one statement just before COMMIT. `build` is called when it is sent, so a module can
   * keep gathering rows into it until then. Statements of one WITH see one snapshot: defer only a
   * write whose rows nothing later in the transaction reads (an audit row, a live event, a message's
   * final state). Deferred writes run in no defined order among themselves (one write may hold
   * several rows in order). A failing write fails the statement it went with, and so the whole
   * transaction.
   */
  defer?(build: () => TSqlFragment): void
}

export type { TSqlFragment }

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

const ids = new WeakMap<TemplateStringsArray, number>()
const statements = new Map<string, { name: string; text: string }>()
let counter = 0

const idOf = (strings: TemplateStringsArray) => {
  let id = ids.get(strings)
  if (id === undefined) ids.set(strings, (id = ++counter))
  return id
}
/** A template's text with its placeholders numbered from `from + 1`. */
const textOf = (strings: TemplateStringsArray, from: number) => strings.reduce((acc, part, i) => (i === 0 ? part : `${acc}$${i + from}${part}`), '')
const WITH = /^\s*WITH\s+/i
const TAKES_WITH = /^\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH(?!\s+RECURSIVE\b))\b/i

/**
 * The prepared statement for `main` (undefined: a final statement of deferred writes only) with
 * the deferred writes in front as WITH items: named once per combination of call sites, so
 * PostgreSQL parses and plans each combination once per connection.
 */
function statement(deferred: readonly TSqlFragment[], main?: TemplateStringsArray): { name: string; text: string } {
  const key = deferred.length ? `${deferred.map((d) => idOf(d.strings)).join(',')}|${main ? idOf(main) : ''}` : String(idOf(main!))
  let s = statements.get(key)
  if (!s) {
    let from = 0
    const items = deferred.map((d, k) => {
      const item = `bars_w${k} AS (${textOf(d.strings, from)})`
      from += d.strings.length - 1
      return item
    })
    const body = main ? textOf(main, from) : 'SELECT 1'
    const text = !items.length ? body : WITH.test(body) ? `WITH ${items.join(', ')}, ${body.replace(WITH, '')}` : `WITH ${items.join(', ')} ${body}`
    s = { name: `bars_${statements.size + 1}`, text }
    statements.set(key, s)
  }
  return s
}

/** A value as a query parameter: an instant in UTC ISO form (its meaning cannot depend on the server's zone), a bigint as text. */
function param(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString()
  if (typeof v === 'bigint') return v.toString()
  return v === undefined ? null : v
}

/** A transaction on `client`; `pending` holds the deferred writes not yet sent. */
function txOn(client: pg.PoolClient, pending: (() => TSqlFragment)[]): SqlTx {
  const send = (strings: TemplateStringsArray, values: unknown[]): Promise<pg.QueryResult> => {
    // Only SELECT, INSERT, UPDATE, DELETE and a plain WITH can take WITH items in front (not WITH
    // RECURSIVE, SET, LOCK, …): before anything else the deferred writes go first, alone.
    if (pending.length && !TAKES_WITH.test(strings[0]!)) return flushOn(client, pending).then(() => send(strings, values))
    const deferred = pending.splice(0).map((build) => build())
    const s = statement(deferred, strings)
    const all = deferred.length ? [...deferred.flatMap((d) => d.values), ...values] : values
    return client.query({ name: s.name, text: s.text, values: all.map(param) })
  }
  return {
    defer(build) {
      pending.push(build)
    },
    async $queryRaw<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T> {
      return (await send(strings, values)).rows as T
    },
    async $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): Promise<number> {
      return (await send(strings, values)).rowCount ?? 0
    },
  }
}

/** Send the deferred writes still pending, in one statement. */
async function flushOn(client: pg.PoolClient, pending: (() => TSqlFragment)[]): Promise<void> {
  if (!pending.length) return
  const deferred = pending.splice(0).map((build) => build())
  const s = statement(deferred)
  await client.query({ name: s.name, text: s.text, values: deferred.flatMap((d) => d.values).map(param) })
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
    const pending: (() => TSqlFragment)[] = []
    try {
      result = await fn(txOn(client, pending))
      await flushOn(client, pending)
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
