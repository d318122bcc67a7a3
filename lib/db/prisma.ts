import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '@/generated/prisma/client'
import { env } from '@/lib/env'

/**
 * The one Prisma client of a process (kept on globalThis so dev-mode reloads reuse the pool).
 * Only repositories (lib/<domain>/*-repository.ts) import this.
 */
const holder = globalThis as unknown as { barsPrisma?: PrismaClient }

export function prisma(): PrismaClient {
  holder.barsPrisma ??= new PrismaClient({
    // A bounded pool wait: past it the request is answered 503 + Retry-After (lib/http/inflight-limit.ts), not queued forever.
    adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: env().BARS_DB_POOL_MAX, connectionTimeoutMillis: env().BARS_DB_POOL_WAIT_MS }),
  })
  return holder.barsPrisma
}

export type Db = PrismaClient
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]
