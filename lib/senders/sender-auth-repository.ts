import { lookupCache } from '@/lib/db/lookup-cache'
import { prisma } from '@/lib/db/prisma'

export interface TAuthenticatedSenderRecord {
  id: string
  name: string
  dosServiceId: string
}

const select = { id: true, name: true, dosServiceId: true } as const

/**
 * Known senders only (a miss is never cached), for seconds; a revoked token or deactivated sender is
 * cleared on every instance by NOTIFY (lib/db/lookup-cache.ts).
 */
const byBearer = lookupCache<TAuthenticatedSenderRecord>()
const byCert = lookupCache<TAuthenticatedSenderRecord>()

export const senderAuthRepository = {
  async findByBearerHash(hash: string): Promise<TAuthenticatedSenderRecord | null> {
    return byBearer.get(hash, () => prisma().senderSystem.findFirst({ where: { bearerTokenHash: hash, active: true }, select }))
  },

  async findByCertSubject(subject: string): Promise<TAuthenticatedSenderRecord | null> {
    return byCert.get(subject, () => prisma().senderSystem.findFirst({ where: { clientCertSubject: subject, active: true }, select }))
  },
}
