import { prisma } from '@/lib/db/prisma'

export interface TAuthenticatedSenderRecord {
  id: string
  name: string
  dosServiceId: string
}

const select = { id: true, name: true, dosServiceId: true } as const

export const senderAuthRepository = {
  async findByBearerHash(hash: string): Promise<TAuthenticatedSenderRecord | null> {
    return prisma().senderSystem.findFirst({ where: { bearerTokenHash: hash, active: true }, select })
  },

  async findByCertSubject(subject: string): Promise<TAuthenticatedSenderRecord | null> {
    return prisma().senderSystem.findFirst({ where: { clientCertSubject: subject, active: true }, select })
  },
}
