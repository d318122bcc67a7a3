import { PrismaClient } from '@/generated/prisma/client'
import { env } from '@/lib/env'
import { GuardedPrismaPg } from './guarded-adapter'

/**
 * The one Prisma client of a process (kept on globalThis so dev-mode reloads reuse the pool).
 * Only repositories (lib/<domain>/*-repository.ts) import this.
 */
const holder = globalThis as unknown as { barsPrisma?: PrismaClient }

export function prisma(): PrismaClient {
  holder.barsPrisma ??= new PrismaClient({ adapter: new GuardedPrismaPg(poolConfig()) })
  return holder.barsPrisma
}

/**
 * Pool settings that keep a request from hanging when PostgreSQL is down or unresponsive (issue 9):
 * a connection attempt (or the wait for a free pooled connection) gives up after
 * BARS_DB_CONNECT_TIMEOUT_MS; PostgreSQL cancels a statement after BARS_DB_QUERY_TIMEOUT_MS
 * (statement_timeout, the connection stays usable), and the client gives up half a second later
 * when the server cannot even answer (query_timeout: a dead network). lib/db/db-errors.ts turns
 * each of these into 503 REC_UNAVAILABLE with Retry-After. Broken connections are dropped by the
 * pool, so service resumes by itself once PostgreSQL is back.
 */
export function poolConfig(connectionString = env().DATABASE_URL) {
  const e = env()
  return {
    connectionString,
    max: e.BARS_DB_POOL_SIZE,
    connectionTimeoutMillis: e.BARS_DB_CONNECT_TIMEOUT_MS,
    statement_timeout: e.BARS_DB_QUERY_TIMEOUT_MS,
    query_timeout: e.BARS_DB_QUERY_TIMEOUT_MS + 500,
    idleTimeoutMillis: 30_000,
  }
}

export type Db = PrismaClient
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]
