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
    adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: 10 }),
  })
  return holder.barsPrisma
}

export type Db = PrismaClient
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]
